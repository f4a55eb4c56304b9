import { Inject, Injectable } from '@nestjs/common';
import { CACHE_ENGINE } from './caching.constants';
import { CacheEngine } from './engine/cache-engine';

/** The guide's `get_cache_info()`. */
export interface CacheInfo {
  memory_used_mb: number | null;
  total_keys: number | null;
  total_keys_complete: boolean;
  evicted_keys: number | null;
  l1_entries: number;
  l1_bytes: number;
  l1_evictions: number;
  redis: 'up' | 'degraded';
}

/**
 * The response cache as services use it: invalidation, stats and info. Every invalidation reaches
 * Redis (O(1) per tag) and every instance's L1 (through the bus). Domain helpers (an agent's
 * entries, a user's) live in their modules, on top of {@link ResponseCacheService.invalidateTags}.
 */
@Injectable()
export class ResponseCacheService {
  constructor(@Inject(CACHE_ENGINE) private readonly engine: CacheEngine) {}

  /** Drops one entry by its full key. */
  invalidateKey(key: string): Promise<void> {
    return this.engine.invalidateKey(key);
  }

  /** Drops every entry with any of the tags. */
  invalidateTags(tags: string[]): Promise<void> {
    return this.engine.invalidateTags(tags);
  }

  /** Drops keys matching a glob inside the cache namespace, e.g. `agents*` (the guide's `delete_pattern`). */
  deletePattern(glob: string): Promise<number> {
    return this.engine.invalidatePattern(glob);
  }

  /** Drops the entries of every route that declared `invalidatedBy: [event]`. */
  invalidateByEvent(event: string): Promise<void> {
    return this.engine.invalidateTags([`event:${event}`]);
  }

  /** The guide's `get_stats()` (hit_rate_percent, total_requests, hits, misses) plus more. */
  getStats(): Record<string, number | string> {
    const l1 = this.engine.l1Info;
    return {
      ...this.engine.stats.snapshot(),
      l1_entries: l1.entries,
      l1_bytes: l1.bytes,
      invalidations_pending: this.engine.pendingInvalidations,
      redis_breaker: this.engine.redisState,
    };
  }

  /** The guide's `get_cache_info()`: Redis memory, our key count and evictions, and L1 size. */
  async getCacheInfo(): Promise<CacheInfo> {
    const [info, keys] = await Promise.all([this.engine.redisInfo(), this.engine.countKeys()]);
    const field = (name: string): number | null => {
      const match = info ? new RegExp(`^${name}:(\\d+)`, 'm').exec(info) : null;
      return match ? Number(match[1]) : null;
    };
    const usedMemory = field('used_memory');
    const l1 = this.engine.l1Info;
    return {
      memory_used_mb: usedMemory === null ? null : Math.round((usedMemory / 1048576) * 100) / 100,
      total_keys: keys?.count ?? null,
      total_keys_complete: keys?.complete ?? false,
      evicted_keys: field('evicted_keys'),
      l1_entries: l1.entries,
      l1_bytes: l1.bytes,
      l1_evictions: l1.evictions,
      redis: info === undefined ? 'degraded' : 'up',
    };
  }
}
