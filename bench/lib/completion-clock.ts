import type { Queue } from 'bull';

/**
 * Counts the jobs a Bull queue finishes in this process (its local `completed` and `failed`
 * events) and times the first and the last, so throughput is measured over processing only,
 * whatever enqueueing and boot took before.
 */
export class CompletionClock {
  completed = 0;
  failed = 0;
  private firstAt = 0;
  private lastAt = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(queue: Queue) {
    queue.on('completed', () => this.record('completed'));
    queue.on('failed', () => this.record('failed'));
  }

  /** Jobs finished either way. */
  get finished(): number {
    return this.completed + this.failed;
  }

  /** Jobs per second between the first and the last finished job. */
  rate(): number {
    const seconds = (this.lastAt - this.firstAt) / 1000;
    return seconds > 0 ? (this.finished - 1) / seconds : 0;
  }

  /** Resolves once `count` jobs finished; rejects after `timeoutMs`, saying how many did. */
  async waitFor(count: number, timeoutMs: number): Promise<void> {
    if (this.finished >= count) {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const reached = new Promise<void>((resolve) => this.waiters.push({ count, resolve }));
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.finished}/${count} jobs finished in ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([reached, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  private record(outcome: 'completed' | 'failed'): void {
    const now = performance.now();
    this.firstAt ||= now;
    this.lastAt = now;
    this[outcome]++;
    const done = this.waiters.filter((waiter) => this.finished >= waiter.count);
    this.waiters = this.waiters.filter((waiter) => this.finished < waiter.count);
    done.forEach((waiter) => waiter.resolve());
  }
}
