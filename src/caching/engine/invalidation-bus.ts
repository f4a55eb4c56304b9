import type { Logger } from '@nestjs/common';
import type { CacheStats } from './cache-stats';
import type { CacheKeyspace } from './keyspace';
import { globToRegExp, L1Cache } from './l1-cache';
import { ignoreUnavailable } from './l2-unavailable.error';
import type { RedisL2 } from './redis-l2';

/** Messages on the invalidation bus: which L1 copies every instance drops. */
export interface BusMessage {
  origin: string;
  keys?: string[];
  tags?: string[];
  patterns?: string[];
}

/**
 * Invalidation: drops entries in this instance's L1 and in Redis, then tells the other
 * instances (Redis pub/sub) which L1 copies to drop. Without Redis only the local L1 is cleaned.
 */
export class InvalidationBus {
  constructor(
    private readonly l1: L1Cache,
    private readonly l2: RedisL2,
    private readonly keyspace: CacheKeyspace,
    private readonly stats: CacheStats,
    /** Tags this instance's messages, so it skips its own. */
    private readonly origin: string,
    private readonly logger: Logger,
  ) {}

  /** Drops one key everywhere (the guide's `delete`). */
  async invalidateKey(key: string): Promise<void> {
    this.stats.invalidations++;
    this.l1.delete(key);
    await ignoreUnavailable(this.l2.unlink([key]));
    await this.publish({ origin: this.origin, keys: [key] });
  }

  /** Drops every entry carrying any of the tags: O(1) Redis work per tag (version bump). */
  async invalidateTags(tags: string[]): Promise<void> {
    if (tags.length === 0) {
      return;
    }
    this.stats.invalidations++;
    tags.forEach((tag) => this.l1.deleteTag(tag));
    await ignoreUnavailable(this.l2.bumpTags(tags.map((tag) => this.keyspace.tagKey(tag))));
    await this.publish({ origin: this.origin, tags });
  }

  /**
   * Deletes the keys matching a glob inside the cache's own namespace, e.g. `agents*`
   * (SCAN + UNLINK; the guide's `delete_pattern`). Returns how many Redis keys were deleted.
   */
  async invalidatePattern(glob: string): Promise<number> {
    this.stats.invalidations++;
    const pattern = `${this.keyspace.root}:${glob}`;
    this.l1.deleteMatching(globToRegExp(pattern));
    const deleted = await this.l2.deleteMatching(pattern).catch((error: Error) => {
      this.logger.warn(`pattern invalidation incomplete: ${error.message}`);
      return 0;
    });
    await this.publish({ origin: this.origin, patterns: [pattern] });
    return deleted;
  }

  /** Applies an invalidation received from another instance to this instance's L1. */
  apply(message: BusMessage): void {
    if (message.origin === this.origin) {
      return;
    }
    message.keys?.forEach((key) => this.l1.delete(key));
    message.tags?.forEach((tag) => this.l1.deleteTag(tag));
    message.patterns?.forEach((pattern) => this.l1.deleteMatching(globToRegExp(pattern)));
  }

  private async publish(message: BusMessage): Promise<void> {
    await ignoreUnavailable(this.l2.publish(this.keyspace.channel, JSON.stringify(message)));
  }
}
