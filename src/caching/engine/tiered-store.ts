import { CacheEntry, decodeEntry, encodeEntry } from './cache-entry';
import type { CachePolicy, L2Read } from './cache-types';
import type { CacheKeyspace } from './keyspace';
import type { L1Cache } from './l1-cache';
import { ignoreUnavailable, L2Unavailable } from './l2-unavailable.error';
import type { RedisL2 } from './redis-l2';

/**
 * Entries as the engine reads and writes them across the tiers: an L2 read is decoded and
 * checked against the current tag versions, a write goes to L1 at once and to L2 encoded.
 */
export class TieredStore {
  constructor(
    private readonly l1: L1Cache,
    private readonly l2: RedisL2,
    private readonly keyspace: CacheKeyspace,
    private readonly maxEntryBytes: number,
    private readonly now: () => number,
  ) {}

  /**
   * Copies an entry into L1 unless an invalidation of its key or `tags` was applied here since
   * `stamp` was taken (see {@link L1Cache.stamp}). Whether it was kept.
   */
  keepL1(key: string, tags: readonly string[], entry: CacheEntry, stamp: number): boolean {
    if (this.l1.stamp(key, tags) !== stamp) {
      return false;
    }
    this.l1.set(key, entry, this.now());
    return true;
  }

  /** The L1 stamp of a key and its tags, taken before its data is read. */
  stamp(key: string, tags: readonly string[]): number {
    return this.l1.stamp(key, tags);
  }

  /** The entry in L2 unless one of its tags moved on since it was stored, and the tag versions. */
  async readL2(key: string, tags: string[]): Promise<L2Read> {
    try {
      const { raw, versions } = await this.l2.lookup(
        key,
        tags.map((tag) => this.keyspace.tagKey(tag)),
      );
      const current: Record<string, number> = {};
      let entry = raw ? decodeEntry(raw, this.maxEntryBytes) : undefined;
      for (let index = 0; index < tags.length; index++) {
        current[tags[index]] = versions[index];
        // An entry stored under an older version of any of its tags was invalidated.
        if (entry && entry.tags[tags[index]] !== versions[index]) {
          entry = undefined;
        }
      }
      return { entry, versions: current };
    } catch (error) {
      if (error instanceof L2Unavailable) {
        // Without Redis the tag versions are unknown: entries are still served from L1 and the
        // handler, but nothing is written to L2 until Redis is back.
        return {};
      }
      throw error;
    }
  }

  /**
   * Stores in L1 at once and in L2 in the background; the promise settles when L2 has it.
   * Nothing is stored when `stamp` (the L1 stamp taken before the data was read) has moved: an
   * invalidation arrived meanwhile, so the data may be older than the write behind it.
   */
  async store(
    key: string,
    tags: readonly string[],
    entry: CacheEntry,
    policy: CachePolicy,
    toL2: boolean,
    stamp: number,
  ): Promise<void> {
    if (entry.body.length > this.maxEntryBytes || !this.keepL1(key, tags, entry, stamp)) {
      return;
    }
    if (!toL2) {
      return;
    }
    const encoded = encodeEntry(entry, policy.compress, policy.compressionThreshold);
    const lifetime = entry.ttlMs + Math.max(entry.swrMs, entry.graceMs);
    await ignoreUnavailable(this.l2.write(key, encoded, lifetime));
  }
}
