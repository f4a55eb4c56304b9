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

  release(): void {
    const next = this.waiting.shift();
    if (next) {
      next(); // the slot passes to the waiter; `active` stays the same
    } else {
      this.active--;
    }
  }
}
