/** Base of every rejection by the resilience layer: it names the breaker and when to retry. */
export abstract class ResilienceError extends Error {
  abstract readonly kind: 'circuit-open' | 'call-timeout' | 'bulkhead-rejected';

  constructor(
    message: string,
    /** Name of the breaker (the downstream dependency). */
    readonly breaker: string,
    /** When a retry has a chance, in ms (sent as `Retry-After`, rounded up to seconds). */
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
