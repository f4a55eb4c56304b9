import { ResilienceError } from './resilience.error';

/** The breaker is open (or forced open, or out of half-open probes): the call was not made. */
export class CircuitBreakerOpenError extends ResilienceError {
  readonly kind = 'circuit-open' as const;

  constructor(breaker: string, retryAfterMs: number) {
    super(`Circuit breaker "${breaker}" is open`, breaker, retryAfterMs);
  }
}
