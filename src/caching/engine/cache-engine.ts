import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CacheEntry, decodeEntry, encodeEntry, freshness } from './cache-entry';
import { CacheStats } from './cache-stats';
import { globToRegExp, L1Cache } from './l1-cache';
import { L2Unavailable, RedisL2 } from './redis-l2';

/** How a lookup was answered (the value of `X-Cache`). */
export type CacheOutcome = 'HIT' | 'MISS' | 'STALE' | 'BYPASS';

/** Storage policy of one request. */
export interface CachePolicy {
  compress: boolean;
  compressionThreshold: number;
  lock: boolean;
}

/** What the loader (the route handler) produced. `entry` undefined: not cacheable. */
export interface LoadResult<T> {
  entry?: CacheEntry;
  /** The handler's own result, returned unchanged when the response is not cacheable. */
  passthrough?: T;
}

/** The answer of {@link CacheEngine.getOrLoad}. */
export interface CacheAnswer<T> {
  outcome: CacheOutcome;
  entry?: CacheEntry;
  passthrough?: T;
}

/** A loader receives the tag versions to store with its entry (read before it runs). */
export type Loader<T> = (tagVersions: Record<string, number>) => Promise<LoadResult<T>>;

/** Messages on the invalidation bus: which L1 copies every instance drops. */
export interface BusMessage {
  origin: string;
  keys?: string[];
  tags?: string[];
  patterns?: string[];
}

/** Names of the Redis keys of the cache. */
export interface CacheKeyspace {
  /** `<REDIS__KEY_PREFIX>:cache` */
  root: string;
  tagKey(tag: string): string;
  lockKey(key: string): string;
  channel: string;
}

const LOCK_POLL_MS = 20;
/**
 * Most background refreshes of distrusted L1 entries (after a bus reconnect) at once; past it the
 * stale copy is served without starting another. Kept small on purpose: handlers are mostly CPU on
 * the same event loop as the hits, and eight of them finishing together stalled every hit behind
 * them (p99 0.5-1.5 s for a second after Redis returned, 55 hot keys, 2 cores); two at a time
 * interleave with the hits and still refresh a few hundred keys a second.
 */
export const MAX_REVALIDATIONS = 2;

/**
 * The cache engine: L1 (in-process, bytes-bounded LRU) in front of L2 (Redis), versioned tags,
 * single-flight per key (and per fleet with the lock), stale-while-revalidate and grace, and
 * fail-open behaviour: when Redis is slow or down, requests use L1 and the handler only.
 */
export class CacheEngine {
  readonly origin = randomUUID();
  private readonly logger = new Logger(CacheEngine.name);
  private readonly inflight = new Map<string, Promise<LoadResult<unknown>>>();
  private readonly refreshing = new Set<string>();
  private revalidations = 0;

  constructor(
    private readonly l1: L1Cache,
    private readonly l2: RedisL2,
    private readonly keyspace: CacheKeyspace,
    readonly stats: CacheStats,
    private readonly maxEntryBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** L1 numbers, for stats and metrics. */
  get l1Info(): { entries: number; bytes: number; evictions: number } {
    return { entries: this.l1.size, bytes: this.l1.usedBytes, evictions: this.l1.evictions };
  }

  /** State of the breaker around Redis (`open` means the cache runs on L1 only). */
  get redisState(): string {
    return this.l2.breaker.state;
  }

  /**
   * A fresh L1 entry (counted as a hit), or undefined. Synchronous, so an L1 hit costs no promise:
   * the interceptor answers from it directly.
   */
  peekFresh(key: string): CacheEntry | undefined {
    const now = this.now();
    const local = this.l1.get(key, now);
    if (local && freshness(local, now) === 'fresh' && this.l1.isTrusted(key)) {
      this.stats.hits++;
      this.stats.l1Hits++;
      return local;
    }
    return undefined;
  }

  /**
   * A distrusted L1 copy (see {@link revalidateL1}) that may be served stale right away, without
   * Redis or the handler: one whose refresh is already running, or any while the most
   * revalidations run. Otherwise undefined, and the request goes the full way ({@link getOrLoad}),
   * which checks the copy against Redis and starts its refresh. So after a reconnect about one
   * request per key pays the full path, not every request until its key is refreshed.
   */
  peekRevalidating(key: string): CacheEntry | undefined {
    const now = this.now();
    const local = this.l1.get(key, now);
    if (
      !local ||
      this.l1.isTrusted(key) ||
      freshness(local, now) !== 'fresh' ||
      !(this.refreshing.has(key) || this.revalidations >= MAX_REVALIDATIONS)
    ) {
      return undefined;
    }
    this.stats.staleHits++;
    return local;
  }

  /**
   * A fresh, valid entry from L2 (copied into L1 and counted as a hit), or undefined without
   * counting anything: the caller then goes the full way (handler, single-flight) which counts.
   */
  async peekL2Fresh(key: string, tags: string[]): Promise<CacheEntry | undefined> {
    const { entry } = await this.readL2(key, tags);
    const now = this.now();
    if (!entry || freshness(entry, now) !== 'fresh') {
      return undefined;
    }
    this.l1.set(key, entry, now);
    this.stats.hits++;
    this.stats.l2Hits++;
    return entry;
  }

  /**
   * Answers from L1, then L2, else runs the loader once per key (concurrent callers wait for it).
   * Stale entries are served while one background refresh runs (SWR), or when the loader fails
   * (grace). Invalidated entries (an older tag version) are never served.
   */
  async getOrLoad<T>(
    key: string,
    tags: string[],
    policy: CachePolicy,
    loader: Loader<T>,
  ): Promise<CacheAnswer<T>> {
    const local = this.peekFresh(key);
    if (local) {
      return { outcome: 'HIT', entry: local };
    }
    const now = this.now();

    const remote = await this.readL2(key, tags);
    let fallback: CacheEntry | undefined;
    if (remote.entry) {
      const state = freshness(remote.entry, now);
      if (state === 'fresh') {
        this.l1.set(key, remote.entry, now);
        this.stats.hits++;
        this.stats.l2Hits++;
        return { outcome: 'HIT', entry: remote.entry };
      }
    }

    const distrusted = this.distrustedCopy(key, remote.versions, now);
    if (distrusted) {
      this.stats.staleHits++;
      this.revalidate(key, tags, policy, loader, remote.versions);
      return { outcome: 'STALE', entry: distrusted };
    }

    if (remote.entry) {
      const state = freshness(remote.entry, now);
      if (state === 'stale') {
        this.stats.staleHits++;
        this.refreshInBackground(key, tags, policy, loader, remote.versions);
        return { outcome: 'STALE', entry: remote.entry };
      }
      if (state === 'grace') {
        fallback = remote.entry;
      }
    }

    return this.loadAndAnswer(key, tags, policy, loader, remote.versions, fallback);
  }

  /** Drops one key everywhere (the guide's `delete`). */
  async invalidateKey(key: string): Promise<void> {
    this.stats.invalidations++;
    this.l1.delete(key);
    await this.ignoreUnavailable(this.l2.unlink([key]));
    await this.publish({ origin: this.origin, keys: [key] });
  }

  /** Drops every entry carrying any of the tags: O(1) Redis work per tag (version bump). */
  async invalidateTags(tags: string[]): Promise<void> {
    if (tags.length === 0) {
      return;
    }
    this.stats.invalidations++;
    tags.forEach((tag) => this.l1.deleteTag(tag));
    await this.ignoreUnavailable(this.l2.bumpTags(tags.map((tag) => this.keyspace.tagKey(tag))));
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
  applyBusMessage(message: BusMessage): void {
    if (message.origin === this.origin) {
      return;
    }
    message.keys?.forEach((key) => this.l1.delete(key));
    message.tags?.forEach((tag) => this.l1.deleteTag(tag));
    message.patterns?.forEach((pattern) => this.l1.deleteMatching(globToRegExp(pattern)));
  }

  /** Drops the whole L1 at once (tests; production uses {@link revalidateL1}). */
  clearL1(): void {
    this.l1.clear();
  }

  /**
   * After the bus reconnects, invalidations may have been missed: every L1 entry must be
   * revalidated before it is trusted again. Each is served stale while one refresh per key runs
   * (at most {@link MAX_REVALIDATIONS} at once), or replaced by a valid Redis copy, so hot keys do
   * not all miss together the moment Redis returns.
   */
  revalidateL1(): void {
    this.l1.distrustAll();
  }

  /** Redis `INFO` of the server holding L2, or undefined while it is unavailable. */
  async redisInfo(): Promise<string | undefined> {
    return this.l2.info().catch(() => undefined);
  }

  /** Counts the cache's own Redis keys (SCAN, bounded). */
  countKeys(limit = 100_000): Promise<{ count: number; complete: boolean } | undefined> {
    return this.l2.countMatching(`${this.keyspace.root}:*`, limit).catch(() => undefined);
  }

  private async readL2(
    key: string,
    tags: string[],
  ): Promise<{ entry?: CacheEntry; versions?: Record<string, number> }> {
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

  private async loadAndAnswer<T>(
    key: string,
    tags: string[],
    policy: CachePolicy,
    loader: Loader<T>,
    versions: Record<string, number> | undefined,
    fallback: CacheEntry | undefined,
  ): Promise<CacheAnswer<T>> {
    // A load that finished while this request was reading L2 has stored its entry in L1 already.
    const settled = this.l1.get(key, this.now());
    if (
      settled &&
      !this.inflight.has(key) &&
      freshness(settled, this.now()) === 'fresh' &&
      this.l1.isTrusted(key)
    ) {
      this.stats.hits++;
      this.stats.l1Hits++;
      return { outcome: 'HIT', entry: settled };
    }
    const leader = !this.inflight.has(key);
    try {
      const result = await this.load(key, tags, policy, loader, versions);
      if (result.entry) {
        if (leader) {
          this.stats.misses++;
          return { outcome: 'MISS', entry: result.entry };
        }
        this.stats.coalesced++;
        this.stats.hits++;
        return { outcome: 'HIT', entry: result.entry };
      }
      this.stats.bypasses++;
      if (leader) {
        return { outcome: 'BYPASS', passthrough: result.passthrough };
      }
      // The leader's response was not cacheable (it may carry per-request headers such as
      // Set-Cookie): a waiter runs its own handler instead of sharing it.
      const own = await loader({});
      return { outcome: 'BYPASS', passthrough: own.passthrough, entry: own.entry };
    } catch (error) {
      if (fallback) {
        this.stats.staleHits++;
        return { outcome: 'STALE', entry: fallback };
      }
      throw error;
    }
  }

  /** Runs the loader once per key in this process (and once per fleet with the lock). */
  private load<T>(
    key: string,
    tags: string[],
    policy: CachePolicy,
    loader: Loader<T>,
    versions: Record<string, number> | undefined,
  ): Promise<LoadResult<T>> {
    const existing = this.inflight.get(key) as Promise<LoadResult<T>> | undefined;
    if (existing) {
      return existing;
    }
    const running = (async () => {
      if (policy.lock && versions) {
        const waited = await this.waitForLockHolder(key, tags);
        if (waited) {
          this.l1.set(key, waited, this.now());
          return { entry: waited };
        }
      }
      try {
        this.stats.loaderCalls++;
        // Without Redis the versions are unknown (-1 never matches Redis), but the entry still
        // carries its tag names so a tag invalidation drops its L1 copy.
        const result = await loader(versions ?? Object.fromEntries(tags.map((tag) => [tag, -1])));
        if (result.entry) {
          const written = this.store(key, result.entry, policy, versions !== undefined).catch(
            (error: Error) => this.logger.warn(`cache store failed: ${error.message}`),
          );
          if (policy.lock && versions) {
            // Waiters on other instances must find the entry once the lock is released.
            await written;
          }
        }
        return result;
      } finally {
        if (policy.lock && versions) {
          await this.ignoreUnavailable(this.l2.unlock(this.keyspace.lockKey(key), this.origin));
        }
      }
    })();
    this.inflight.set(key, running);
    void running.finally(() => this.inflight.delete(key)).catch(() => undefined);
    return running;
  }

  /**
   * Takes the fleet lock for a cold key, or waits (polling L2) for the instance that holds it to
   * store the entry. Returns the entry when another instance produced it; undefined means "load it
   * yourself" (lock taken, Redis unavailable, or the holder did not finish within the lock TTL).
   */
  private async waitForLockHolder(key: string, tags: string[]): Promise<CacheEntry | undefined> {
    const lockKey = this.keyspace.lockKey(key);
    const lockTtlMs = this.lockTtlMs;
    const deadline = this.now() + lockTtlMs;
    try {
      for (;;) {
        if (await this.l2.tryLock(lockKey, this.origin, lockTtlMs)) {
          // The previous holder may have stored the entry just before it released the lock.
          const { entry } = await this.readL2(key, tags);
          if (entry && freshness(entry, this.now()) === 'fresh') {
            await this.ignoreUnavailable(this.l2.unlock(lockKey, this.origin));
            return entry;
          }
          return undefined;
        }
        if (this.now() >= deadline) {
          return undefined;
        }
        await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
        const { entry } = await this.readL2(key, tags);
        if (entry && freshness(entry, this.now()) === 'fresh') {
          return entry;
        }
      }
    } catch (error) {
      if (!(error instanceof L2Unavailable)) {
        throw error;
      }
    }
    return undefined;
  }

  /** Lock lifetime; set by the module from `CACHING__LOCK_TTL_MS`. */
  lockTtlMs = 5000;

  /** Stores in L1 at once and in L2 in the background; the promise settles when L2 has it. */
  private async store(
    key: string,
    entry: CacheEntry,
    policy: CachePolicy,
    toL2: boolean,
  ): Promise<void> {
    if (entry.body.length > this.maxEntryBytes) {
      return;
    }
    this.l1.set(key, entry, this.now());
    if (!toL2) {
      return;
    }
    const encoded = encodeEntry(entry, policy.compress, policy.compressionThreshold);
    const lifetime = entry.ttlMs + Math.max(entry.swrMs, entry.graceMs);
    await this.ignoreUnavailable(this.l2.write(key, encoded, lifetime));
  }

  private refreshInBackground<T>(
    key: string,
    tags: string[],
    policy: CachePolicy,
    loader: Loader<T>,
    versions: Record<string, number> | undefined,
  ): void {
    if (this.refreshing.has(key) || this.inflight.has(key)) {
      return;
    }
    this.refreshing.add(key);
    this.load(key, tags, policy, loader, versions)
      .catch((error: Error) => this.logger.warn(`background refresh failed: ${error.message}`))
      .finally(() => this.refreshing.delete(key));
  }

  /**
   * The L1 copy of a key that awaits revalidation, when it may be served meanwhile: fresh by its
   * TTL and not known to be invalidated. Known means Redis holds a newer version of one of its
   * tags; an unknown version (stored without Redis, or Redis unreachable) or an older one (Redis
   * lost its data) proves nothing, and the refresh settles it. A known-invalidated copy is dropped.
   */
  private distrustedCopy(
    key: string,
    versions: Record<string, number> | undefined,
    now: number,
  ): CacheEntry | undefined {
    const local = this.l1.get(key, now);
    if (!local || this.l1.isTrusted(key) || freshness(local, now) !== 'fresh') {
      return undefined;
    }
    for (const [tag, version] of Object.entries(local.tags)) {
      const current = versions?.[tag];
      if (current !== undefined && version >= 0 && current > version) {
        this.l1.delete(key);
        return undefined;
      }
    }
    return local;
  }

  /** One background refresh of a distrusted entry, within {@link MAX_REVALIDATIONS}. */
  private revalidate<T>(
    key: string,
    tags: string[],
    policy: CachePolicy,
    loader: Loader<T>,
    versions: Record<string, number> | undefined,
  ): void {
    if (this.refreshing.has(key) || this.inflight.has(key)) {
      return;
    }
    if (this.revalidations >= MAX_REVALIDATIONS) {
      return; // a later request for this key starts its refresh
    }
    this.revalidations++;
    this.refreshing.add(key);
    this.load(key, tags, policy, loader, versions)
      .then((result) => {
        // Not cacheable any more: the old copy must not be served again.
        if (!result.entry && !this.l1.isTrusted(key)) {
          this.l1.delete(key);
        }
      })
      .catch((error: Error) => this.logger.warn(`revalidation failed: ${error.message}`))
      .finally(() => {
        this.revalidations--;
        this.refreshing.delete(key);
      });
  }

  private async publish(message: BusMessage): Promise<void> {
    await this.ignoreUnavailable(this.l2.publish(this.keyspace.channel, JSON.stringify(message)));
  }

  private async ignoreUnavailable<T>(operation: Promise<T>): Promise<T | undefined> {
    try {
      return await operation;
    } catch (error) {
      if (error instanceof L2Unavailable) {
        return undefined;
      }
      throw error;
    }
  }
}
