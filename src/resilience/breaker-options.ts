/** Options of one circuit breaker (the guide's `CircuitBreakerConfig` plus bulkhead and retry). */
export interface BreakerOptions {
  /** Deadline of a call, retries included, in ms (the guide's `call_timeout`). @default 5000 */
  callTimeoutMs: number;
  /** Consecutive failures that open the breaker (the guide's `failure_threshold`). @default 3 */
  failureThreshold: number;
  /** Ms the breaker stays open before probes are let through (the guide's `failure_timeout`). @default 30000 */
  failureTimeoutMs: number;
  /** Probe calls let through in half-open; all must succeed to close. @default 1 */
  halfOpenProbes: number;
  /**
   * Optional rate rule on top of the consecutive rule: open when at least `minimumCalls` calls in
   * the rolling `windowMs` failed more than `errorPercentage` percent of the time.
   * @default undefined (consecutive rule only)
   */
  rate?: { errorPercentage: number; minimumCalls: number; windowMs: number };
  /** Calls in flight at most (a timed-out call counts until its work really ends). @default 100 */
  maxConcurrent: number;
  /** Calls that may wait for a free slot (0: reject at once). @default 0 */
  maxQueue: number;
  /** Retries after a failure (never after an open circuit or a 4xx-like error). @default 0 */
  retries: number;
  /** Base delay of decorrelated-jitter backoff, in ms. @default 100 */
  retryBaseDelayMs: number;
  /** Readiness fails while this breaker is open (for dependencies the service cannot work without). @default false */
  critical: boolean;
}

/** Defaults of every breaker (overridden by `forRoot`, then env, then `forFeature`/`call`). */
export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = {
  callTimeoutMs: 5000,
  failureThreshold: 3,
  failureTimeoutMs: 30000,
  halfOpenProbes: 1,
  maxConcurrent: 100,
  maxQueue: 0,
  retries: 0,
  retryBaseDelayMs: 100,
  critical: false,
};

/** Whether an error is the caller's fault (4xx-like): it never counts as a dependency failure. */
export type ErrorFilter = (error: unknown) => boolean;

/** Default filter: errors carrying an HTTP status 400-499 (except 408 and 429) are the caller's. */
export const ignoreClientErrors: ErrorFilter = (error) => {
  const candidate = error as { status?: unknown; statusCode?: unknown; getStatus?: () => number };
  const status =
    typeof candidate?.getStatus === 'function'
      ? candidate.getStatus()
      : Number(candidate?.status ?? candidate?.statusCode);
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
};
