import { Injectable } from '@nestjs/common';
import type { JobQueue } from '../job-queue';
import { QueueRegistry } from '../queue.registry';

/** Jobs per state (`waiting`, `active`, `completed`, ...) of one queue. */
export type JobCounts = Record<string, number>;

/** How long one read serves every caller: a stats storm costs one Redis read per queue per second. */
export const COUNTS_MAX_AGE_MS = 1000;
/** A queue whose Redis does not answer within this time shows `null` instead of holding the caller. */
export const COUNTS_TIMEOUT_MS = 1000;

/**
 * Job counts of every registered queue, read from Redis when asked (`getJobCounts()`), shared by
 * `/performance/stats` and the `bull_queue_jobs` gauges. A read serves callers for at most
 * {@link COUNTS_MAX_AGE_MS}, counted from when it started; callers that arrive while it runs
 * wait for it instead of starting another. A queue that fails or times out reads as `null`.
 */
@Injectable()
export class QueueCounts {
  private current?: { startedAt: number; counts: Promise<Map<string, JobCounts | null>> };

  constructor(private readonly registry: QueueRegistry) {}

  /**
   * Counts by queue name (`null` for a queue whose Redis did not answer). `fresh` starts a new
   * read whatever the cache holds (a scrape, so its gauges agree with the job counters beside
   * them); the read then serves the next second's callers.
   */
  read({ fresh = false }: { fresh?: boolean } = {}): Promise<Map<string, JobCounts | null>> {
    const now = Date.now();
    if (fresh || !this.current || now - this.current.startedAt >= COUNTS_MAX_AGE_MS) {
      this.current = { startedAt: now, counts: this.readAll() };
    }
    return this.current.counts;
  }

  private async readAll(): Promise<Map<string, JobCounts | null>> {
    const queues = this.registry.list().map(({ queue }) => queue);
    const counts = await Promise.all(queues.map((queue) => readWithin(queue, COUNTS_TIMEOUT_MS)));
    return new Map(queues.map((queue, i) => [queue.name, counts[i]]));
  }
}

async function readWithin(queue: JobQueue, timeoutMs: number): Promise<JobCounts | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
    timer.unref();
  });
  try {
    return await Promise.race([queue.counts().catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
