import { Injectable } from '@nestjs/common';
import { CircuitBreaker } from '../resilience';
import { ExternalApiClient } from './external-api.client';
import { ExternalDataResponseDto } from './external-data.dto';

/** The guide's `/external-data`: the upstream through the `external_api` breaker. */
@Injectable()
export class ExternalDataService {
  private lastGood: { data: unknown; fetchedAt: string } | null = null;

  constructor(private readonly client: ExternalApiClient) {}

  /** Live data; on failure, timeout or an open circuit, the last good copy (`status: cached`). */
  @CircuitBreaker('external_api', { fallback: 'cached' })
  async fetch(signal?: AbortSignal): Promise<ExternalDataResponseDto> {
    // The breaker always passes a signal (the last parameter is typed AbortSignal).
    const data = await this.client.fetchData(signal as AbortSignal);
    this.lastGood = { data, fetchedAt: new Date().toISOString() };
    return { status: 'live', data, fetched_at: this.lastGood.fetchedAt };
  }

  /** Fallback of {@link fetch}: the guide's `{"status": "cached", "data": ...}`. */
  cached(): ExternalDataResponseDto {
    return {
      status: 'cached',
      data: this.lastGood?.data ?? null,
      fetched_at: this.lastGood?.fetchedAt ?? null,
    };
  }
}
