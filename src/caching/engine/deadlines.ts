/** One registered call: its deadline, and what runs if it passes (cleared once the call settles). */
export interface Deadline {
  readonly at: number;
  expire: (() => void) | undefined;
}

/**
 * Slots the queue starts with; it doubles when full and never shrinks (calls of one timeout in
 * flight: ~2,000 slots, 16 KiB, at 35k calls/s against a Redis that stopped answering).
 */
const INITIAL_SLOTS = 64;

/**
 * Deadlines of many short calls with one timeout on one timer: a call registers (a slot in a ring
 * queue) instead of creating its own timer and promise race. The sweep runs every `tickMs` while
 * calls are pending and expires late ones from the check phase, after the loop turn's I/O, so a
 * reply already in the socket wins over a timeout that only fired because the loop was busy.
 *
 * Every call has the same timeout, so deadlines come in the order calls register: the queue is a
 * FIFO, a sweep stops at the first deadline still ahead, and a settled call leaves the queue as
 * soon as the calls registered before it have. Why not a `Set`: a Set that takes and drops an
 * entry per call is rehashed every few dozen calls, and a replaced hash table keeps pointing to
 * its successor and to the entries it held. Once one of them has been promoted to the old
 * generation, it keeps the next one alive through every scavenge, which promotes it in turn: a
 * chain that grows until the next full collection and made the Redis-hit server run a
 * mark-compact every second. Here a settled call drops its `expire` (and with it the request it
 * would fail), and a vacated slot is cleared, so nothing old points at a young object that died.
 */
export class Deadlines {
  private slots: Array<Deadline | undefined> = new Array<Deadline | undefined>(INITIAL_SLOTS);
  private head = 0;
  private count = 0;
  private timer?: NodeJS.Timeout;
  private readonly tickMs: number;

  constructor(private readonly timeoutMs: number) {
    this.tickMs = Math.max(1, Math.min(10, Math.floor(timeoutMs / 5)));
  }

  /** Calls registered and not yet settled or expired, plus settled ones behind a pending one. */
  get size(): number {
    return this.count;
  }

  /** Calls `expire` once the timeout has passed, unless {@link settle} runs first. */
  add(expire: () => void): Deadline {
    const entry: Deadline = { at: performance.now() + this.timeoutMs, expire };
    if (this.count === this.slots.length) {
      this.grow();
    }
    this.slots[(this.head + this.count) & (this.slots.length - 1)] = entry;
    this.count++;
    if (!this.timer) {
      this.timer = setInterval(() => this.sweep(), this.tickMs);
      this.timer.unref();
    }
    return entry;
  }

  /** The call settled: its deadline no longer matters. */
  settle(entry: Deadline): void {
    entry.expire = undefined;
    this.dropSettled();
  }

  private dropSettled(): void {
    const mask = this.slots.length - 1;
    while (this.count > 0 && this.slots[this.head]!.expire === undefined) {
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) & mask;
      this.count--;
    }
  }

  private sweep(): void {
    const now = performance.now();
    const mask = this.slots.length - 1;
    while (this.count > 0) {
      const entry = this.slots[this.head]!;
      const expire = entry.expire;
      if (expire !== undefined) {
        if (entry.at > now) {
          break;
        }
        entry.expire = undefined;
        setImmediate(expire);
      }
      this.slots[this.head] = undefined;
      this.head = (this.head + 1) & mask;
      this.count--;
    }
    if (this.count === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private grow(): void {
    const grown = new Array<Deadline | undefined>(this.slots.length * 2);
    for (let index = 0; index < this.count; index++) {
      grown[index] = this.slots[(this.head + index) & (this.slots.length - 1)];
    }
    this.slots = grown;
    this.head = 0;
  }
}
