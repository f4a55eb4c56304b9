/**
 * Bounds the calls in flight. A slot is held until the underlying work really ends (not when the
 * caller gives up at its deadline), so abandoned work still counts against the limit.
 */
export class Bulkhead {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly maxConcurrent: number,
    readonly maxQueue: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Takes a slot now, waits in the queue, or returns false when both are full. */
  acquire(): boolean | Promise<void> {
    if (this.active < this.maxConcurrent) {
      this.active++;
      return true;
    }
    if (this.waiting.length >= this.maxQueue) {
      return false;
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /**
   * Takes a slot, waiting in the queue until `deadline` at the latest. False when the queue is
   * full or the deadline passed first: the caller is rejected, which is never a dependency failure.
   */
  async acquireBefore(deadline: number, now: () => number): Promise<boolean> {
    const slot = this.acquire();
    if (typeof slot === 'boolean') {
      return slot;
    }
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => resolve('expired'), Math.max(0, deadline - now()));
    });
    const winner = await Promise.race([slot.then(() => 'slot' as const), expired]);
    clearTimeout(timer);
    if (winner === 'expired') {
      // The slot may still be granted later: hand it straight back.
      void slot.then(() => this.release());
      return false;
    }
    return true;
  }

  /** Frees a slot, handing it to the first waiter if there is one. */
  release(): void {
    const next = this.waiting.shift();
    if (next) {
      next(); // the slot passes to the waiter; `active` stays the same
    } else {
      this.active--;
    }
  }
}
