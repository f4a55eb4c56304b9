import type { RedisClient } from '../redis';

/** A policy's limit: requests per fixed window. */
export interface WindowPolicy {
  /** Names the policy's counters (`all`, or a route). */
  id: string;
  limit: number;
  windowMs: number;
}

/** The outcome of one request. */
export interface Decision {
  allowed: boolean;
  remaining: number;
  /** Milliseconds until the window ends and the count starts over. */
  resetMs: number;
}

interface Bucket {
  key: string;
  windowEnd: number;
  ttlMs: number;
  /** The fleet's count as Redis last reported it (our synced requests included). */
  synced: number;
  /** Counted here and sent in the sync under way. */
  sending: number;
  /** Counted here since the last sync. */
  pending: number;
  /** Asked about since the last sync (a refused client's count is refreshed too). */
  touched: boolean;
}

/** Counts of a {@link FleetCounter} since it started. */
export interface FleetCounterStats {
  allowed: number;
  limited: number;
  /** Requests let through while the last sync failed: decided on this instance's count alone. */
  failOpen: number;
  syncFailures: number;
  /** True while the last sync with Redis failed or timed out. */
  degraded: boolean;
}

/**
 * Fixed-window counters shared by the fleet through Redis, decided in memory. A request never
 * waits for Redis: it is checked against the fleet's count as of the last sync plus what this
 * instance counted since. Every `syncIntervalMs`, one pipeline adds each client's new requests to
 * its Redis counter (INCRBY + PEXPIRE) and reads back the fleet's total.
 *
 * One Redis round trip per request (EVALSHA, or INCR + PEXPIRE) cost more than the 5% budget on
 * a cached route; this costs a map lookup per request and one pipeline per interval. The price:
 * instances learn of each other's requests one interval late. When Redis is down or slow the
 * counters stay local (each instance enforces the limit alone), so no request waits or fails on
 * Redis: the limiter fails open to per-instance limits.
 */
export class FleetCounter {
  private readonly buckets = new Map<string, Bucket>();
  private syncing = false;
  private readonly counts: FleetCounterStats = {
    allowed: 0,
    limited: 0,
    failOpen: 0,
    syncFailures: 0,
    degraded: false,
  };

  constructor(
    private readonly redis: Pick<RedisClient, 'pipeline' | 'status'>,
    private readonly keyPrefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a request of `subject` under `policy` and says whether it may go on. */
  hit(policy: WindowPolicy, subject: string): Decision {
    const now = this.now();
    const windowStart = now - (now % policy.windowMs);
    const windowEnd = windowStart + policy.windowMs;
    const id = `${policy.id}:${subject}`;
    let bucket = this.buckets.get(id);
    if (!bucket || bucket.windowEnd !== windowEnd) {
      bucket = {
        key: `${this.keyPrefix}${id}:${windowStart}`,
        windowEnd,
        // Outlives the window a little, so a late sync never recreates a counter without expiry.
        ttlMs: policy.windowMs + 1000,
        synced: 0,
        sending: 0,
        pending: 0,
        touched: false,
      };
      this.buckets.set(id, bucket);
    }
    bucket.touched = true;
    const used = bucket.synced + bucket.sending + bucket.pending;
    const resetMs = windowEnd - now;
    if (used >= policy.limit) {
      this.counts.limited++;
      return { allowed: false, remaining: 0, resetMs };
    }
    bucket.pending++;
    this.counts.allowed++;
    if (this.counts.degraded) {
      this.counts.failOpen++;
    }
    return { allowed: true, remaining: policy.limit - used - 1, resetMs };
  }

  /**
   * Sends the new counts of every client seen since the last sync and reads the fleet totals
   * back; drops counters of ended windows. Never throws: a failure leaves the counts local.
   */
  async sync(): Promise<void> {
    if (this.syncing) {
      return;
    }
    this.syncing = true;
    try {
      const batch = this.collect();
      if (batch.length > 0) {
        await this.send(batch);
      }
    } finally {
      this.syncing = false;
    }
  }

  /** Counts since start (for metrics). */
  get stats(): Readonly<FleetCounterStats> {
    return this.counts;
  }

  /** Clients with a counter in memory. */
  get size(): number {
    return this.buckets.size;
  }

  private collect(): Bucket[] {
    const now = this.now();
    const batch: Bucket[] = [];
    for (const [id, bucket] of this.buckets) {
      if (bucket.windowEnd <= now) {
        this.buckets.delete(id);
      } else if (bucket.touched) {
        bucket.touched = false;
        bucket.sending = bucket.pending;
        bucket.pending = 0;
        batch.push(bucket);
      }
    }
    return batch;
  }

  private async send(batch: Bucket[]): Promise<void> {
    let results: Array<[Error | null, unknown]> | null = null;
    if (this.redis.status === 'ready') {
      const pipeline = this.redis.pipeline();
      for (const bucket of batch) {
        pipeline.incrby(bucket.key, bucket.sending).pexpire(bucket.key, bucket.ttlMs);
      }
      results = await pipeline.exec().catch(() => null);
    }
    let failed = results === null;
    batch.forEach((bucket, index) => {
      const total = results?.[index * 2];
      if (total && total[0] === null && typeof total[1] === 'number') {
        bucket.synced = total[1];
      } else {
        // Sent again with the next sync; meanwhile this instance decides on what it knows.
        bucket.pending += bucket.sending;
        bucket.touched = true;
        failed = true;
      }
      bucket.sending = 0;
    });
    this.counts.degraded = failed;
    if (failed) {
      this.counts.syncFailures++;
    }
  }
}
