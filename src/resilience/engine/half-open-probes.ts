import { BreakerOptions, ErrorFilter } from '../breaker-options';
import { BulkheadRejectedError } from '../errors/bulkhead-rejected.error';

/** The part of opossum's circuit that the probes read and drive. */
export interface ProbedCircuit {
  readonly halfOpen: boolean;
  open(): void;
  close(): void;
}

/**
 * The half-open probes of one breaker (opossum itself lets a single call through): N probes per
 * half-open round; all N succeeding closes the breaker, one failure re-opens it. A probe that
 * outlives its round (the breaker re-opened and half-opened again meanwhile) no longer votes.
 */
export class HalfOpenProbes {
  private left = 0;
  private successes = 0;
  private round = 0;

  constructor(
    private readonly options: Pick<BreakerOptions, 'halfOpenProbes'>,
    private readonly isIgnored: ErrorFilter,
    private readonly circuit: ProbedCircuit,
  ) {}

  /** Starts a half-open round: N probes may go, none has voted yet. */
  startRound(): void {
    this.round++;
    this.left = this.options.halfOpenProbes;
    this.successes = 0;
  }

  /** Takes one probe of this round; false when all of them are out. */
  take(): boolean {
    if (this.left <= 0) {
      return false;
    }
    this.left--;
    return true;
  }

  /** Runs `call` as a probe taken with {@link take}, and lets its outcome vote. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    const round = this.round;
    const current = () => round === this.round && this.circuit.halfOpen;
    try {
      const result = await call();
      if (current()) {
        this.onSuccess();
      }
      return result;
    } catch (error) {
      if (!current()) {
        throw error;
      }
      if (error instanceof BulkheadRejectedError) {
        // The probe never reached the dependency: another caller may take it.
        this.left++;
      } else if (this.isIgnored(error)) {
        this.onSuccess();
      } else {
        this.circuit.open();
      }
      throw error;
    }
  }

  private onSuccess(): void {
    this.successes++;
    if (this.successes >= this.options.halfOpenProbes) {
      this.circuit.close();
    }
  }
}
