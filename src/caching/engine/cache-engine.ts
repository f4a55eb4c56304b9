import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { BackgroundRefresh } from './background-refresh';
import { CacheEntry, freshness } from './cache-entry';
import type { CacheStats } from './cache-stats';
import type { CacheAnswer, CachePolicy, EngineSettings, Loader } from './cache-types';
import { FleetLock } from './fleet-lock';
import { BusMessage, InvalidationBus } from './invalidation-bus';
import type { CacheKeyspace } from './keyspace';
import type { L1Cache } from './l1-cache';
import type { RedisL2 } from './redis-l2';
import { SingleFlight } from './single-flight';
import { TieredStore } from './tiered-store';

/**
 * The cache engine: L1 (in-process, bytes-bounded LRU) in front of L2 (Redis), versioned tags,
 * single-flight per key (and per fleet with the lock), stale-while-revalidate and grace, and
 * fail-open behaviour: when Redis is slow or down, requests use L1 and the handler only.
 * It holds the read path; misses go to {@link SingleFlight}, refreshes behind a stale answer to
 * {@link BackgroundRefresh}, invalidations to {@link InvalidationBus}.
 */
export class CacheEngine {
  readonly origin = randomUUID();
  private readonly logger = new Logger(CacheEngine.name);
  private readonly tiers: TieredStore;
  private readonly flight: SingleFlight;
  private readonly refresh: BackgroundRefresh;
  private readonly bus: InvalidationBus;

  constructor(
    private readonly l1: L1Cache,
    private readonly l2: RedisL2,
    private readonly keyspace: CacheKeyspace,
    readonly stats: CacheStats,
    settings: EngineSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.tiers = new TieredStore(l1, l2, keyspace, settings.maxEntryBytes, now);
    const lock = new FleetLock(l2, this.tiers, keyspace, this.origin, settings.lockTtlMs, now);
    this.flight = new SingleFlight(l1, this.tiers, lock, stats, this.logger, now);
    this.refresh = new BackgroundRefresh(l1, this.flight, this.logger);
    this.bus = new InvalidationBus(l1, l2, keyspace, stats, this.origin, this.logger);
  }

  /** L1 numbers, for stats and metrics. */
  get l1Info(): { entries: number; bytes: number; evictions: number } {
    return { entries: this.l1.size, bytes: this.l1.usedBytes, evictions: this.l1.evictions };
  }

  /** Invalidated keys, tags and patterns Redis has not taken yet (retried in the background). */
  get pendingInvalidations(): number {
    return this.bus.pendingCount;
  }

  /** One last try for pending invalidations (at shutdown, before the connections close). */
  close(): Promise<void> {
    return this.bus.close();
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
    const local = this.findFresh(key);
    if (local) {
      this.countL1Hit();
    }
    return local;
  }

  /** {@link peekFresh} without counting: the HTTP edge counts once it answers ({@link countL1Hit}). */
  findFresh(key: string): CacheEntry | undefined {
    const now = this.now();
    const local = this.l1.get(key, now);
    return local && freshness(local, now) === 'fresh' && this.l1.isTrusted(key) ? local : undefined;
  }

  /** Counts an L1 hit answered from {@link findFresh}. */
  countL1Hit(): void {
    this.stats.hits++;
    this.stats.l1Hits++;
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
      !this.refresh.servesStale(key)
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
    const stamp = this.tiers.stamp(key, tags);
    const { entry } = await this.tiers.readL2(key, tags);
    const now = this.now();
    if (!entry || freshness(entry, now) !== 'fresh') {
      return undefined;
    }
    this.tiers.keepL1(key, tags, entry, stamp);
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

    const stamp = this.tiers.stamp(key, tags);
    const remote = await this.tiers.readL2(key, tags);
    let fallback: CacheEntry | undefined;
    if (remote.entry) {
      const state = freshness(remote.entry, now);
      if (state === 'fresh') {
        this.tiers.keepL1(key, tags, remote.entry, stamp);
        this.stats.hits++;
        this.stats.l2Hits++;
        return { outcome: 'HIT', entry: remote.entry };
      }
    }

    const distrusted = this.refresh.distrustedCopy(key, remote.versions, now);
    if (distrusted) {
      this.stats.staleHits++;
      this.refresh.revalidate(key, tags, policy, loader, remote.versions);
      return { outcome: 'STALE', entry: distrusted };
    }

    if (remote.entry) {
      const state = freshness(remote.entry, now);
      if (state === 'stale') {
        this.stats.staleHits++;
        this.refresh.refresh(key, tags, policy, loader, remote.versions);
        return { outcome: 'STALE', entry: remote.entry };
      }
      if (state === 'grace') {
        fallback = remote.entry;
      }
    }

    return this.flight.answer(key, tags, policy, loader, remote.versions, fallback);
  }

  /** Counts a request the HTTP layer let through without looking at the cache. */
  countBypass(): void {
    this.stats.bypasses++;
  }

  /** Counts a hit answered `304 Not Modified` (the client's ETag matched). */
  countNotModified(): void {
    this.stats.notModified++;
  }

  /** Drops one key everywhere (the guide's `delete`). */
  invalidateKey(key: string): Promise<void> {
    return this.bus.invalidateKey(key);
  }

  /** Drops every entry carrying any of the tags: O(1) Redis work per tag (version bump). */
  invalidateTags(tags: string[]): Promise<void> {
    return this.bus.invalidateTags(tags);
  }

  /** Deletes the keys matching a glob inside the cache's namespace; resolves to how many. */
  invalidatePattern(glob: string): Promise<number> {
    return this.bus.invalidatePattern(glob);
  }

  /** Applies an invalidation received from another instance to this instance's L1. */
  applyBusMessage(message: BusMessage): void {
    this.bus.apply(message);
  }

  /** Drops the whole L1 at once (tests; production uses {@link revalidateL1}). */
  clearL1(): void {
    this.l1.clear();
  }

  /**
   * After the bus reconnects, invalidations may have been missed: every L1 entry must be
   * revalidated before it is trusted again. Each is served stale while one refresh per key runs
   * (at most `MAX_REVALIDATIONS` at once), or replaced by a valid Redis copy, so hot keys do
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
}
