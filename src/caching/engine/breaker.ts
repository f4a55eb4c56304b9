/** Breaker states, as in every circuit breaker. */
export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * A small consecutive-failure breaker for the cache's Redis calls: after `threshold` failures in
 * a row it opens for `resetMs` (calls fail at once, nothing is sent to Redis), then lets one probe
 * through; the probe's outcome closes or re-opens it. Bentocache keeps the same guard on its L2.
 */
export class Breaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private stateValue: BreakerState = 'closed';

  constructor(
    private readonly threshold: number,
    private readonly resetMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    return this.stateValue;
  }

  /** Whether a call may go to Redis now (a half-open breaker admits one probe at a time). */
  allow(): boolean {
    if (this.stateValue === 'closed') {
      return true;
    }
    if (this.stateValue === 'open' && this.now() - this.openedAt >= this.resetMs) {
      this.stateValue = 'half_open';
    }
    if (this.stateValue === 'half_open' && !this.probing) {
      this.probing = true;
      return true;
    }
    return false;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    this.stateValue = 'closed';
  }

  failure(): void {
    this.probing = false;
    this.failures++;
    if (this.stateValue === 'half_open' || this.failures >= this.threshold) {
      this.stateValue = 'open';
      this.openedAt = this.now();
    }
  }
}
