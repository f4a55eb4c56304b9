/** States of a breaker; `forced_open` and `disabled` are set by an operator. */
export type BreakerState = 'closed' | 'open' | 'half_open' | 'forced_open' | 'disabled';

/** How a call ended, for metrics. */
export type CallOutcome =
  'success' | 'failure' | 'timeout' | 'ignored_error' | 'rejected_open' | 'rejected_bulkhead';

/**
 * An action under the breaker; it should stop its work when `signal` aborts. An action declared
 * without parameters gets no AbortController (cheaper; it cannot be cancelled, only abandoned).
 */
export type Action<T> = (signal: AbortSignal) => Promise<T>;
