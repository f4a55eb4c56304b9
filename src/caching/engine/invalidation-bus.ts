import type { Logger } from '@nestjs/common';
import { BackgroundRetry } from '../../redis';
import type { CacheStats } from './cache-stats';
import type { CacheKeyspace } from './keyspace';
import { globToRegExp, L1Cache } from './l1-cache';
import { L2Unavailable } from './l2-unavailable.error';
import type { RedisL2 } from './redis-l2';

/** Messages on the invalidation bus: which L1 copies every instance drops. */
export interface BusMessage {
  origin: string;
  keys?: string[];
  tags?: string[];
  patterns?: string[];
}

/** What one invalidation asks of Redis: keys to unlink, tags to bump, patterns to scan and unlink. */
interface Invalidation {
  keys: string[];
  tags: string[];
  patterns: string[];
}

/**
 * Pending keys, tags and patterns held for a retry. Past it they are replaced by one pattern over
 * the whole cache namespace: it costs every entry, but nothing stale survives the outage.
 */
const MAX_PENDING = 10_000;

/**
 * Invalidation: drops entries in this instance's L1 and in Redis, then tells the other
 * instances (Redis pub/sub) which L1 copies to drop. Without Redis only the local L1 is cleaned.
 *
 * An invalidation Redis does not take (down, breaker open, timed out, a connection still opening)
 * is not dropped: it is kept and retried in the background, 100 ms doubling to 5 s, until Redis
 * takes both the Redis side (unlink, version bump, scan) and the bus message. Until then other
 * instances may serve the old entry (their L1, or Redis's copy under the old tag versions); the
 * writer's own answer never waits for more than the first try.
 */
export class InvalidationBus {
  private readonly pending = {
    keys: new Set<string>(),
    tags: new Set<string>(),
    patterns: new Set<string>(),
  };
  private readonly retries = new BackgroundRetry(async () => {
    await this.retry();
    return this.pendingCount === 0;
  });

  constructor(
    private readonly l1: L1Cache,
    private readonly l2: RedisL2,
    private readonly keyspace: CacheKeyspace,
    private readonly stats: CacheStats,
    /** Tags this instance's messages, so it skips its own. */
    private readonly origin: string,
    private readonly logger: Logger,
  ) {}

  /** Keys, tags and patterns waiting for Redis to take their invalidation. */
  get pendingCount(): number {
    return this.pending.keys.size + this.pending.tags.size + this.pending.patterns.size;
  }

  /** Drops one key everywhere (the guide's `delete`). */
  async invalidateKey(key: string): Promise<void> {
    this.stats.invalidations++;
    await this.send({ keys: [key], tags: [], patterns: [] });
  }

  /** Drops every entry carrying any of the tags: O(1) Redis work per tag (version bump). */
  async invalidateTags(tags: string[]): Promise<void> {
    if (tags.length === 0) {
      return;
    }
    this.stats.invalidations++;
    await this.send({ keys: [], tags, patterns: [] });
  }

  /**
   * Deletes the keys matching a glob inside the cache's own namespace, e.g. `agents*`
   * (SCAN + UNLINK; the guide's `delete_pattern`). Returns how many Redis keys were deleted
   * (0 when Redis did not take it now: it is then retried in the background).
   */
  async invalidatePattern(glob: string): Promise<number> {
    this.stats.invalidations++;
    return this.send({ keys: [], tags: [], patterns: [`${this.keyspace.root}:${glob}`] });
  }

  /** Applies an invalidation received from another instance to this instance's L1. */
  apply(message: BusMessage): void {
    if (message.origin === this.origin) {
      return;
    }
    this.dropLocal({
      keys: message.keys ?? [],
      tags: message.tags ?? [],
      patterns: message.patterns ?? [],
    });
  }

  /**
   * One last try for what is still pending (at shutdown); what Redis does not take then is
   * reported, and stale entries may outlive it until their TTL.
   */
  async close(): Promise<void> {
    await this.retries.stop();
    if (this.pendingCount > 0) {
      await this.retry();
    }
    if (this.pendingCount > 0) {
      this.logger.error(
        `${this.pendingCount} cache invalidation(s) never reached Redis; their entries may be served until their TTL`,
      );
    }
  }

  private dropLocal({ keys, tags, patterns }: Invalidation): void {
    keys.forEach((key) => this.l1.invalidate(key));
    tags.forEach((tag) => this.l1.deleteTag(tag));
    patterns.forEach((pattern) => this.l1.deleteMatching(globToRegExp(pattern)));
  }

  /**
   * Drops the local copies, then asks Redis: what it does not take (the Redis side or the bus
   * message) is kept for a retry. Returns the keys the patterns deleted.
   */
  private async send(work: Invalidation): Promise<number> {
    this.dropLocal(work);
    const { deleted, failed } = await this.toRedis(work);
    if (failed) {
      this.hold(failed);
    }
    return deleted;
  }

  /** The Redis side and the bus message of an invalidation; `failed` is what must be retried. */
  private async toRedis(work: Invalidation): Promise<{ deleted: number; failed?: Invalidation }> {
    const failed: Invalidation = { keys: [], tags: [], patterns: [] };
    let deleted = 0;
    if (work.keys.length > 0 && !(await this.took(this.l2.unlink(work.keys)))) {
      failed.keys.push(...work.keys);
    }
    const tagKeys = work.tags.map((tag) => this.keyspace.tagKey(tag));
    if (tagKeys.length > 0 && !(await this.took(this.l2.bumpTags(tagKeys)))) {
      failed.tags.push(...work.tags);
    }
    for (const pattern of work.patterns) {
      try {
        deleted += await this.l2.deleteMatching(pattern);
      } catch (error) {
        if (!(error instanceof L2Unavailable)) {
          throw error;
        }
        failed.patterns.push(pattern);
      }
    }
    const message: BusMessage = { origin: this.origin };
    if (work.keys.length > 0) {
      message.keys = work.keys;
    }
    if (work.tags.length > 0) {
      message.tags = work.tags;
    }
    if (work.patterns.length > 0) {
      message.patterns = work.patterns;
    }
    if (!(await this.took(this.l2.publish(this.keyspace.channel, JSON.stringify(message))))) {
      // The other instances did not hear of it: all of it is sent again.
      return { deleted, failed: work };
    }
    const any = failed.keys.length + failed.tags.length + failed.patterns.length > 0;
    return { deleted, failed: any ? failed : undefined };
  }

  /** Whether Redis took the call; a failure other than {@link L2Unavailable} is a bug and is thrown. */
  private async took(operation: Promise<unknown>): Promise<boolean> {
    try {
      await operation;
      return true;
    } catch (error) {
      if (error instanceof L2Unavailable) {
        return false;
      }
      throw error;
    }
  }

  private hold(work: Invalidation): void {
    const first = this.pendingCount === 0;
    work.keys.forEach((key) => this.pending.keys.add(key));
    work.tags.forEach((tag) => this.pending.tags.add(tag));
    work.patterns.forEach((pattern) => this.pending.patterns.add(pattern));
    if (this.pendingCount > MAX_PENDING) {
      this.pending.keys.clear();
      this.pending.tags.clear();
      this.pending.patterns.clear();
      this.pending.patterns.add(`${this.keyspace.root}:*`);
      this.logger.error(
        `over ${MAX_PENDING} cache invalidations wait for Redis: the whole cache will be dropped once it is back`,
      );
    }
    if (first) {
      this.logger.warn('cache invalidation not taken by Redis; retrying in the background');
    }
    this.retries.schedule();
  }

  /** Sends everything pending once; what Redis still does not take stays pending. */
  private async retry(): Promise<void> {
    const work: Invalidation = {
      keys: [...this.pending.keys],
      tags: [...this.pending.tags],
      patterns: [...this.pending.patterns],
    };
    this.pending.keys.clear();
    this.pending.tags.clear();
    this.pending.patterns.clear();
    try {
      // This instance may have refilled its L1 from Redis's old copy meanwhile.
      this.dropLocal(work);
      const { failed } = await this.toRedis(work);
      if (failed) {
        failed.keys.forEach((key) => this.pending.keys.add(key));
        failed.tags.forEach((tag) => this.pending.tags.add(tag));
        failed.patterns.forEach((pattern) => this.pending.patterns.add(pattern));
      } else if (this.pendingCount === 0) {
        this.logger.log('pending cache invalidations reached Redis');
      }
    } catch (error) {
      this.hold(work);
      this.logger.warn(`cache invalidation retry failed: ${(error as Error).message}`);
    }
  }
}
