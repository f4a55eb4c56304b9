interface Pending {
  deadline: number;
  expire: () => void;
}

/**
 * Deadlines of many short calls on one timer: a call registers (a Set insert) instead of creating
 * its own timer and promise race. The sweep runs every `tickMs` while calls are pending and
 * expires late ones from the check phase, after the loop turn's I/O, so a reply already in the
 * socket wins over a timeout that only fired because the loop was busy.
 */
export class Deadlines {
  private readonly pending = new Set<Pending>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly tickMs: number) {}

  /** Calls `expire` once `ms` have passed, unless the returned cancel function runs first. */
  add(ms: number, expire: () => void): () => void {
    const entry: Pending = { deadline: performance.now() + ms, expire };
    this.pending.add(entry);
    if (!this.timer) {
      this.timer = setInterval(() => this.sweep(), this.tickMs);
      this.timer.unref();
    }
    return () => {
      this.pending.delete(entry);
    };
  }

  private sweep(): void {
    const now = performance.now();
    for (const entry of this.pending) {
      if (entry.deadline <= now) {
        this.pending.delete(entry);
        setImmediate(entry.expire);
      }
    }
    if (this.pending.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
