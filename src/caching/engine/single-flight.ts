import type { Logger } from '@nestjs/common';
import { CacheEntry, freshness } from './cache-entry';
import type { CacheAnswer, CachePolicy, Loader, LoadResult } from './cache-types';
import type { CacheStats } from './cache-stats';
import type { FleetLock } from './fleet-lock';
import type { L1Cache } from './l1-cache';
import type { TieredStore } from './tiered-store';

/**
 * Runs the loader of a key once per process while concurrent callers wait for it, and once per
 * fleet with the Redis lock (other instances poll L2 for the holder's entry). Answers misses,
 * coalesced waiters, uncacheable responses and grace (a stale entry when the loader fails).
 */
export class SingleFlight {
  private readonly inflight = new Map<string, Promise<LoadResult<unknown>>>();

  constructor(
    private readonly l1: L1Cache,
    private readonly tiers: TieredStore,
    private readonly lock: FleetLock,
    private readonly stats: CacheStats,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** Whether a load of the key runs in this process. */
  isLoading(key: string): boolean {
    return this.inflight.has(key);
  }

  /**
   * The answer of a request that found no usable entry: the leader's MISS, a waiter's HIT, a
   * BYPASS when the response is not cacheable, or the `fallback` (grace) when the loader fails.
   */
  async answer<T>(
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
  load<T>(
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
        const stamp = this.tiers.stamp(key, tags);
        const waited = await this.lock.waitForLockHolder(key, tags);
        if (waited) {
          this.tiers.keepL1(key, tags, waited, stamp);
          return { entry: waited };
        }
      }
      try {
        this.stats.loaderCalls++;
        // An invalidation applied here while the loader runs means its data may be older than
        // the write behind it: the answer is still given, but not stored (see TieredStore.store).
        const stamp = this.tiers.stamp(key, tags);
        // Without Redis the versions are unknown (-1 never matches Redis), but the entry still
        // carries its tag names so a tag invalidation drops its L1 copy.
        const result = await loader(versions ?? Object.fromEntries(tags.map((tag) => [tag, -1])));
        if (result.entry) {
          const written = this.tiers
            .store(key, tags, result.entry, policy, versions !== undefined, stamp)
            .catch((error: Error) => this.logger.warn(`cache store failed: ${error.message}`));
          if (policy.lock && versions) {
            // Waiters on other instances must find the entry once the lock is released.
            await written;
          }
        }
        return result;
      } finally {
        if (policy.lock && versions) {
          await this.lock.release(key);
        }
      }
    })();
    this.inflight.set(key, running);
    void running.finally(() => this.inflight.delete(key)).catch(() => undefined);
    return running;
  }
}
