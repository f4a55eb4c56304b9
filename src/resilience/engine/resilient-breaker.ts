import OpossumBreaker from 'opossum';
import { BreakerOptions, ErrorFilter } from '../breaker-options';
import { BulkheadRejectedError } from '../errors/bulkhead-rejected.error';
import { CallTimeoutError } from '../errors/call-timeout.error';
import { CircuitBreakerOpenError } from '../errors/circuit-breaker-open.error';
import { ResilienceError } from '../errors/resilience.error';
import { Bulkhead } from './bulkhead';
import { LatencyHistogram } from './latency-histogram';
import { nextRetryDelay } from './retry';

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

type Task = () => Promise<unknown>;

const OUTCOMES: CallOutcome[] = [
  'success',
  'failure',
  'timeout',
  'ignored_error',
  'rejected_open',
  'rejected_bulkhead',
];

/**
 * One breaker per downstream dependency, on opossum 9.0.0. opossum keeps the state machine (open,
 * the timer to half-open, close), the rolling window and the optional rate rule. This layer adds
 * what opossum lacks: the consecutive-failure rule, N half-open probes, a per-call deadline with a
 * per-call AbortSignal (opossum's shared controller is not used), a bulkhead that holds a slot
 * until the work really ends and whose rejections are never failures, an error filter for 4xx-like
 * errors, and retries with decorrelated jitter inside the deadline. Percentiles are off.
 */
export class ResilientBreaker {
  private readonly circuit: OpossumBreaker<[Task], unknown>;
  private readonly bulkhead: Bulkhead;
  readonly latency = new LatencyHistogram();
  readonly counts = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<
    CallOutcome,
    number
  >;
  private consecutiveFailures = 0;
  private probesLeft = 0;
  private probeSuccesses = 0;
  private halfOpenRound = 0;
  private override?: 'forced_open' | 'disabled';
  private openedAt = 0;
  private lastTransition = { to: 'closed' as BreakerState, at: Date.now() };
  private abandoned = 0;

  constructor(
    readonly name: string,
    readonly options: BreakerOptions,
    private readonly isIgnored: ErrorFilter,
    private readonly now: () => number = Date.now,
  ) {
    this.bulkhead = new Bulkhead(options.maxConcurrent, options.maxQueue);
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
      this.halfOpenRound++;
      this.probesLeft = this.options.halfOpenProbes;
      this.probeSuccesses = 0;
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
  async execute<T>(action: Action<T>, timeoutMs = this.options.callTimeoutMs): Promise<T> {
    const deadline = this.now() + timeoutMs;
    let delay = this.options.retryBaseDelayMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(action, deadline, timeoutMs);
      } catch (error) {
        const retryable = !(
          error instanceof CircuitBreakerOpenError || error instanceof BulkheadRejectedError
        );
        const remaining = deadline - this.now();
        if (
          !retryable ||
          this.isIgnored(error) ||
          attempt >= this.options.retries ||
          remaining <= 0
        ) {
          throw error;
        }
        delay = nextRetryDelay(delay, this.options.retryBaseDelayMs, remaining);
        if (delay >= remaining) {
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
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
    const window = this.circuit.stats;
    const windowCalls = window.successes + window.failures;
    return {
      name: this.name,
      state: this.state,
      since: new Date(this.lastTransition.at).toISOString(),
      consecutive_failures: this.consecutiveFailures,
      in_flight: this.bulkhead.inFlight,
      queued: this.bulkhead.queued,
      abandoned_in_flight: this.abandoned,
      calls: { ...this.counts },
      window: { successes: window.successes, failures: window.failures, rejects: window.rejects },
      failure_rate:
        windowCalls === 0 ? 0 : Math.round((window.failures / windowCalls) * 10000) / 100,
      latency_ms: {
        count: this.latency.count,
        sum: this.latency.sumMs,
        buckets: this.latency.buckets(),
      },
      retry_after_ms: this.retryAfterMs(),
      config: {
        call_timeout_ms: this.options.callTimeoutMs,
        failure_threshold: this.options.failureThreshold,
        failure_timeout_ms: this.options.failureTimeoutMs,
        half_open_probes: this.options.halfOpenProbes,
        max_concurrent: this.options.maxConcurrent,
        critical: this.options.critical,
      },
    };
  }

  private async attempt<T>(action: Action<T>, deadline: number, timeoutMs: number): Promise<T> {
    const state = this.state;
    if (state === 'open' || state === 'forced_open') {
      return this.reject(new CircuitBreakerOpenError(this.name, this.retryAfterMs()));
    }
    if (state === 'half_open') {
      if (this.probesLeft <= 0) {
        return this.reject(
          new CircuitBreakerOpenError(this.name, Math.min(1000, this.options.failureTimeoutMs)),
        );
      }
      this.probesLeft--;
      return this.probe(action, deadline, timeoutMs);
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
    await this.takeSlot(deadline);
    if (this.state !== 'closed') {
      this.bulkhead.release();
      return this.attempt(action, deadline, timeoutMs);
    }
    let started = false;
    try {
      return (await this.circuit.fire(() => {
        started = true;
        return this.runInSlot(action, deadline, timeoutMs);
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

  /**
   * A half-open probe: all N probes of this half-open round succeeding closes the breaker; one
   * failure re-opens it. A probe that outlives its round (the breaker re-opened and half-opened
   * again meanwhile) no longer votes.
   */
  private async probe<T>(action: Action<T>, deadline: number, timeoutMs: number): Promise<T> {
    const round = this.halfOpenRound;
    const current = () => round === this.halfOpenRound && this.circuit.halfOpen;
    try {
      const result = await this.run(action, deadline, timeoutMs);
      if (current()) {
        this.onProbeSuccess();
      }
      return result;
    } catch (error) {
      if (!current()) {
        throw error;
      }
      if (error instanceof BulkheadRejectedError) {
        this.probesLeft++;
      } else if (this.isIgnored(error)) {
        this.onProbeSuccess();
      } else {
        this.circuit.open();
      }
      throw error;
    }
  }

  private onProbeSuccess(): void {
    this.probeSuccesses++;
    if (this.probeSuccesses >= this.options.halfOpenProbes) {
      this.circuit.close();
    }
  }

  /** Runs the action in a bulkhead slot (see {@link runInSlot}). */
  private async run<T>(action: Action<T>, deadline: number, timeoutMs: number): Promise<T> {
    await this.takeSlot(deadline);
    return this.runInSlot(action, deadline, timeoutMs);
  }

  /**
   * Runs the action in the slot the caller holds, with its own AbortController and deadline. The
   * caller is freed at the deadline; the slot is freed only when the work really ends.
   */
  private async runInSlot<T>(action: Action<T>, deadline: number, timeoutMs: number): Promise<T> {
    const started = this.now();
    // An action that takes no signal cannot be cancelled: skip the controller (about 3 µs a call).
    const controller = action.length > 0 ? new AbortController() : undefined;
    // An action that throws synchronously fails like one that rejects.
    const work = (async () => action(controller?.signal as AbortSignal))();
    let timedOut = false;
    void work
      .catch(() => undefined)
      .finally(() => {
        if (timedOut) {
          this.abandoned--;
        }
        this.bulkhead.release();
      });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => {
          timedOut = true;
          this.abandoned++;
          const error = new CallTimeoutError(this.name, timeoutMs);
          controller?.abort(error);
          reject(error);
        },
        Math.max(0, deadline - this.now()),
      );
    });
    try {
      const result = await Promise.race([work, timeout]);
      this.counts.success++;
      return result;
    } catch (error) {
      this.counts[
        error instanceof CallTimeoutError
          ? 'timeout'
          : this.isIgnored(error)
            ? 'ignored_error'
            : 'failure'
      ]++;
      throw error;
    } finally {
      clearTimeout(timer);
      this.latency.record(this.now() - started);
    }
  }

  private async takeSlot(deadline: number): Promise<void> {
    const slot = this.bulkhead.acquire();
    if (slot === true) {
      return;
    }
    if (slot === false) {
      return this.reject(new BulkheadRejectedError(this.name, this.options.maxConcurrent));
    }
    let gaveUp = false;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), Math.max(0, deadline - this.now()));
    });
    const winner = await Promise.race([slot.then(() => 'slot' as const), expired]);
    clearTimeout(timer);
    if (winner === 'expired') {
      gaveUp = true;
      // The slot may still be granted later: hand it straight back.
      void slot.then(() => gaveUp && this.bulkhead.release());
      return this.reject(new BulkheadRejectedError(this.name, this.options.maxConcurrent));
    }
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
