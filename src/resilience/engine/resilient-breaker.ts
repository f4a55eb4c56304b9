import OpossumBreaker from 'opossum';
import { BreakerOptions, ErrorFilter } from '../breaker-options';
import { BulkheadRejectedError } from '../errors/bulkhead-rejected.error';
import { CircuitBreakerOpenError } from '../errors/circuit-breaker-open.error';
import { ResilienceError } from '../errors/resilience.error';
import { breakerMetrics, CallStats } from './breaker-metrics';
import { Action, BreakerState } from './breaker-types';
import { Bulkhead } from './bulkhead';
import { runInSlot, SlotContext } from './deadline';
import { HalfOpenProbes } from './half-open-probes';
import { retryUntilDeadline, RetryPolicy } from './retry';

type Task = () => Promise<unknown>;

/**
 * One breaker per downstream dependency, on opossum 9.0.0. opossum keeps the state machine (open,
 * the timer to half-open, close), the rolling window and the optional rate rule. This layer adds
 * what opossum lacks: the consecutive-failure rule, N half-open probes (`half-open-probes.ts`), a
 * per-call deadline with a per-call AbortSignal (`deadline.ts`; opossum's shared controller is not
 * used), a bulkhead that holds a slot until the work really ends and whose rejections are never
 * failures (`bulkhead.ts`), an error filter for 4xx-like errors, and retries with decorrelated
 * jitter inside the deadline (`retry.ts`). Percentiles are off.
 */
export class ResilientBreaker {
  private readonly circuit: OpossumBreaker<[Task], unknown>;
  private readonly bulkhead: Bulkhead;
  private readonly probes: HalfOpenProbes;
  private readonly stats = new CallStats();
  /** What the deadline and the retry loop need of this breaker. */
  private readonly context: SlotContext & RetryPolicy;
  /** Calls by outcome. */
  readonly counts = this.stats.counts;
  /** Time of the calls that ran. */
  readonly latency = this.stats.latency;
  private consecutiveFailures = 0;
  private override?: 'forced_open' | 'disabled';
  private openedAt = 0;
  private lastTransition = { to: 'closed' as BreakerState, at: Date.now() };

  constructor(
    readonly name: string,
    readonly options: BreakerOptions,
    private readonly isIgnored: ErrorFilter,
    private readonly now: () => number = Date.now,
  ) {
    this.bulkhead = new Bulkhead(options.maxConcurrent, options.maxQueue);
    this.context = { name, options, isIgnored, now, stats: this.stats, bulkhead: this.bulkhead };
    this.circuit = new OpossumBreaker((task: Task) => task(), {
      name,
      timeout: false,
      resetTimeout: options.failureTimeoutMs,
      errorThresholdPercentage: options.rate ? options.rate.errorPercentage : 100,
      volumeThreshold: options.rate ? options.rate.minimumCalls : Number.MAX_SAFE_INTEGER,
      rollingCountTimeout: options.rate?.windowMs ?? 10000,
      rollingCountBuckets: 10,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      allowWarmUp: false,
      errorFilter: (error: unknown) => this.isIgnored(error),
    });
    this.probes = new HalfOpenProbes(options, isIgnored, this.circuit);
    this.circuit.on('failure', () => {
      this.consecutiveFailures++;
      if (this.circuit.closed && this.consecutiveFailures >= this.options.failureThreshold) {
        this.circuit.open();
      }
    });
    this.circuit.on('success', () => (this.consecutiveFailures = 0));
    this.circuit.on('open', () => {
      this.openedAt = this.now();
      this.transition('open');
    });
    this.circuit.on('halfOpen', () => {
      this.probes.startRound();
      this.transition('half_open');
    });
    this.circuit.on('close', () => {
      this.consecutiveFailures = 0;
      this.transition('closed');
    });
  }

  get state(): BreakerState {
    if (this.override) {
      return this.override;
    }
    return this.circuit.opened ? 'open' : this.circuit.halfOpen ? 'half_open' : 'closed';
  }

  /** Runs the action under the breaker, the bulkhead, the deadline and the retry policy. */
  execute<T>(action: Action<T>, timeoutMs = this.options.callTimeoutMs): Promise<T> {
    const deadline = this.now() + timeoutMs;
    const attempt = () => this.attempt(action, deadline, timeoutMs);
    return retryUntilDeadline(attempt, deadline, this.context);
  }

  /**
   * Whether an error is the caller's (4xx-like, per the module's error filter): it never counts
   * as a failure, and no fallback answers it (a 404 stays a 404, not a cached default).
   */
  isCallerError(error: unknown): boolean {
    return this.isIgnored(error);
  }

  /** Opens the breaker until {@link reset}: every call is rejected (operator action). */
  forceOpen(): void {
    this.override = 'forced_open';
    this.transition('forced_open');
  }

  /** Disables the breaker until {@link reset}: calls always go through (deadline and bulkhead stay). */
  disable(): void {
    this.override = 'disabled';
    this.transition('disabled');
  }

  /** Clears operator overrides and closes the breaker. */
  reset(): void {
    this.override = undefined;
    this.circuit.close();
    this.transition('closed');
  }

  /** Stops opossum's timers (at shutdown). */
  shutdown(): void {
    this.circuit.shutdown();
  }

  /** O(1) numbers of this breaker (opossum's rolling window has a fixed number of buckets). */
  metrics(): Record<string, unknown> {
    return breakerMetrics({
      name: this.name,
      state: this.state,
      since: this.lastTransition.at,
      consecutiveFailures: this.consecutiveFailures,
      bulkhead: this.bulkhead,
      stats: this.stats,
      window: this.circuit.stats,
      retryAfterMs: this.retryAfterMs(),
      options: this.options,
    });
  }

  private async attempt<T>(action: Action<T>, deadline: number, timeoutMs: number): Promise<T> {
    const state = this.state;
    if (state === 'open' || state === 'forced_open') {
      return this.reject(new CircuitBreakerOpenError(this.name, this.retryAfterMs()));
    }
    if (state === 'half_open') {
      if (!this.probes.take()) {
        return this.reject(
          new CircuitBreakerOpenError(this.name, Math.min(1000, this.options.failureTimeoutMs)),
        );
      }
      return this.probes.run(() => this.run(action, deadline, timeoutMs));
    }
    if (state === 'disabled') {
      return this.run(action, deadline, timeoutMs);
    }
    return this.fire(action, deadline, timeoutMs);
  }

  /**
   * A call in the closed state, through opossum. The slot is taken before opossum sees the call,
   * so a full bulkhead (or a caller giving up in the queue) never counts as a dependency failure;
   * if the state changed while the call waited for its slot, the call is decided again.
   */
  private async fire<T>(action: Action<T>, deadline: number, timeoutMs: number): Promise<T> {
    if (!(await this.bulkhead.acquireBefore(deadline, this.now))) {
      return this.rejectFull();
    }
    if (this.state !== 'closed') {
      this.bulkhead.release();
      return this.attempt(action, deadline, timeoutMs);
    }
    let started = false;
    try {
      return (await this.circuit.fire(() => {
        started = true;
        return runInSlot(action, deadline, timeoutMs, this.context);
      })) as T;
    } catch (error) {
      if (!started) {
        this.bulkhead.release();
        if ((error as { code?: string }).code === 'EOPENBREAKER') {
          return this.reject(new CircuitBreakerOpenError(this.name, this.retryAfterMs()));
        }
      }
      throw error;
    }
  }

  /** Runs the action in a bulkhead slot, outside opossum (probes, disabled breaker). */
  private async run<T>(action: Action<T>, deadline: number, timeoutMs: number): Promise<T> {
    if (!(await this.bulkhead.acquireBefore(deadline, this.now))) {
      return this.rejectFull();
    }
    return runInSlot(action, deadline, timeoutMs, this.context);
  }

  private rejectFull(): never {
    return this.reject(new BulkheadRejectedError(this.name, this.options.maxConcurrent));
  }

  private reject(error: ResilienceError): never {
    this.counts[error instanceof CircuitBreakerOpenError ? 'rejected_open' : 'rejected_bulkhead']++;
    throw error;
  }

  private retryAfterMs(): number {
    if (this.override === 'forced_open') {
      return this.options.failureTimeoutMs;
    }
    return Math.max(0, this.options.failureTimeoutMs - (this.now() - this.openedAt));
  }

  private transition(to: BreakerState): void {
    this.lastTransition = { to, at: this.now() };
  }
}
