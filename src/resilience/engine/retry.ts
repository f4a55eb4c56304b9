import { BreakerOptions, ErrorFilter } from '../breaker-options';
import { BulkheadRejectedError } from '../errors/bulkhead-rejected.error';
import { CircuitBreakerOpenError } from '../errors/circuit-breaker-open.error';

/**
 * Decorrelated-jitter backoff (AWS architecture blog): the next delay is random between the base
 * and three times the previous delay, capped. Spreads retries of many callers apart.
 */
export function nextRetryDelay(
  previousMs: number,
  baseMs: number,
  capMs: number,
  random = Math.random,
): number {
  const upper = Math.max(baseMs, previousMs * 3);
  return Math.min(capMs, baseMs + random() * (upper - baseMs));
}

/** The retry policy of one breaker: its options, its error filter and its clock. */
export interface RetryPolicy {
  readonly options: Pick<BreakerOptions, 'retries' | 'retryBaseDelayMs'>;
  readonly isIgnored: ErrorFilter;
  readonly now: () => number;
}

/**
 * Runs `attempt` and retries its failures with decorrelated jitter, never sleeping past
 * `deadline`. An open circuit, a full bulkhead and a 4xx-like error are never retried: the first
 * two would only add load where there is none to spare, the third would fail the same way again.
 */
export async function retryUntilDeadline<T>(
  attempt: () => Promise<T>,
  deadline: number,
  { options, isIgnored, now }: RetryPolicy,
): Promise<T> {
  let delay = options.retryBaseDelayMs;
  for (let attempts = 0; ; attempts++) {
    try {
      return await attempt();
    } catch (error) {
      const retryable = !(
        error instanceof CircuitBreakerOpenError || error instanceof BulkheadRejectedError
      );
      const remaining = deadline - now();
      if (!retryable || isIgnored(error) || attempts >= options.retries || remaining <= 0) {
        throw error;
      }
      delay = nextRetryDelay(delay, options.retryBaseDelayMs, remaining);
      if (delay >= remaining) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
