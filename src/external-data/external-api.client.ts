import { BadGatewayException, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { externalApiConfig } from './external-api.config';

/** Error of the upstream itself (5xx or unreadable): counts as a dependency failure. */
export class UpstreamError extends BadGatewayException {}

/** HTTP client of the external API. It honours the per-call signal of its breaker. */
@Injectable()
export class ExternalApiClient {
  constructor(
    @Inject(externalApiConfig.KEY) private readonly config: ConfigType<typeof externalApiConfig>,
  ) {}

  /** GETs the upstream JSON; aborts the request when `signal` aborts (the breaker's deadline). */
  async fetchData(signal: AbortSignal): Promise<unknown> {
    const response = await fetch(this.config.url, {
      signal,
      headers: { accept: 'application/json' },
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new UpstreamError(`upstream answered ${response.status}`);
    }
    const text = await response.text();
    if (text.length > this.config.maxBodyBytes) {
      throw new UpstreamError('upstream body too large');
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new UpstreamError('upstream body is not JSON');
    }
  }
}
