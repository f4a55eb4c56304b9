import { BreakerOptions } from '../breaker-options';
import { BreakerState, CallOutcome } from './breaker-types';
import { Bulkhead } from './bulkhead';
import { LatencyHistogram } from './latency-histogram';

const OUTCOMES: CallOutcome[] = [
  'success',
  'failure',
  'timeout',
  'ignored_error',
  'rejected_open',
  'rejected_bulkhead',
];

/** The counters of one breaker, each O(1) to record and to read. */
export class CallStats {
  /** Calls by outcome since the breaker was made. */
  readonly counts = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<
    CallOutcome,
    number
  >;
  /** Time of the calls that ran (rejected calls are not timed). */
  readonly latency = new LatencyHistogram();
  /** Calls freed at their deadline whose work still runs (and still holds its bulkhead slot). */
  abandoned = 0;
}

/** What {@link breakerMetrics} reads from a breaker. */
export interface BreakerView {
  readonly name: string;
  readonly state: BreakerState;
  /** When the breaker last changed state, in epoch ms. */
  readonly since: number;
  readonly consecutiveFailures: number;
  readonly bulkhead: Bulkhead;
  readonly stats: CallStats;
  /** opossum's rolling window: a fixed number of buckets. */
  readonly window: { successes: number; failures: number; rejects: number };
  readonly retryAfterMs: number;
  readonly options: BreakerOptions;
}

/** O(1) numbers of a breaker, as the admin endpoints and `/performance/stats` show them. */
export function breakerMetrics(breaker: BreakerView): Record<string, unknown> {
  const { window, stats, options } = breaker;
  const windowCalls = window.successes + window.failures;
  return {
    name: breaker.name,
    state: breaker.state,
    since: new Date(breaker.since).toISOString(),
    consecutive_failures: breaker.consecutiveFailures,
    in_flight: breaker.bulkhead.inFlight,
    queued: breaker.bulkhead.queued,
    abandoned_in_flight: stats.abandoned,
    calls: { ...stats.counts },
    window: { successes: window.successes, failures: window.failures, rejects: window.rejects },
    failure_rate: windowCalls === 0 ? 0 : Math.round((window.failures / windowCalls) * 10000) / 100,
    latency_ms: {
      count: stats.latency.count,
      sum: stats.latency.sumMs,
      buckets: stats.latency.buckets(),
    },
    retry_after_ms: breaker.retryAfterMs,
    config: {
      call_timeout_ms: options.callTimeoutMs,
      failure_threshold: options.failureThreshold,
      failure_timeout_ms: options.failureTimeoutMs,
      half_open_probes: options.halfOpenProbes,
      max_concurrent: options.maxConcurrent,
      critical: options.critical,
    },
  };
}
