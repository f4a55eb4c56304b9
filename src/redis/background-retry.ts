/**
 * Retries work Redis refused, in the background: `attempt` runs after 100 ms, then after twice
 * the delay each time it reports work left, up to 5 s; one run at a time, timers unref'd (a
 * pending retry never holds the process open). The delay starts over once a run leaves nothing.
 */
export class BackgroundRetry {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private delayMs: number;
  private stopped = false;

  /** `attempt` resolves true once nothing is left to retry. */
  constructor(
    private readonly attempt: () => Promise<boolean>,
    private readonly firstMs = 100,
    private readonly maxMs = 5000,
  ) {
    this.delayMs = firstMs;
  }

  /** Runs `attempt` after the current delay, unless a run is already due or going. */
  schedule(): void {
    if (this.stopped || this.timer || this.running) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.attempt()
        .catch(() => false)
        .then((done) => {
          this.running = undefined;
          this.delayMs = done ? this.firstMs : Math.min(this.maxMs, this.delayMs * 2);
          if (!done) {
            this.schedule();
          }
        });
    }, this.delayMs);
    this.timer.unref();
  }

  /** No more runs; waits for the one going, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
