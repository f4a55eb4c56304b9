import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { redisConfig } from '../config';
import { CacheResponseOptions, ResolvedCacheOptions } from './cache-options';
import { cachingConfig } from './caching.config';
import { CACHE_ENGINE } from './caching.constants';
import { CACHING_MODULE_OPTIONS, type CachingModuleOptions } from './caching.module-definition';
import { CacheEngine } from './engine/cache-engine';
import { CacheKeyBuilder } from './http/cache-key.builder';
import { cacheKeyRoot } from './engine/keyspace';

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
 * The response cache as services use it: the guide's invalidation helpers, stats and info.
 * Every invalidation reaches Redis (O(1) per tag) and every instance's L1 (through the bus).
 */
@Injectable()
export class ResponseCacheService {
  readonly keys: CacheKeyBuilder;

  constructor(
    @Inject(CACHE_ENGINE) readonly engine: CacheEngine,
    @Inject(cachingConfig.KEY) private readonly config: ConfigType<typeof cachingConfig>,
    @Inject(CACHING_MODULE_OPTIONS) private readonly defaults: CachingModuleOptions,
    @Inject(redisConfig.KEY) redis: ConfigType<typeof redisConfig>,
  ) {
    this.keys = new CacheKeyBuilder(cacheKeyRoot(redis.keyPrefix), config.schemaVersion);
  }

  /** Route options with module and env defaults applied. */
  resolve(options: CacheResponseOptions): ResolvedCacheOptions & { scopeExplicit: boolean } {
    const merged = { ...this.defaults, ...options };
    const scopeExplicit = options.scope !== undefined || options.includeUser !== undefined;
    return {
      ttl: merged.ttl ?? this.config.ttl,
      keyPrefix: options.keyPrefix,
      scope: merged.includeUser ? 'user' : (merged.scope ?? 'public'),
      scopeExplicit,
      enabled: this.config.enabled && (merged.enabled ?? true),
      strategy: merged.strategy ?? this.config.strategy,
      compress: merged.compress ?? this.config.compress,
      compressionThreshold: merged.compressionThreshold ?? this.config.compressionThreshold,
      includeQueryParams: merged.includeQueryParams ?? this.config.includeQueryParams,
      queryParams: merged.queryParams,
      excludeParams: merged.excludeParams ?? this.config.excludeParams,
      tags: options.tags ?? [],
      invalidatedBy: options.invalidatedBy ?? [],
      varyHeaders: merged.varyHeaders ?? [],
      staleWhileRevalidate: merged.staleWhileRevalidate ?? this.config.staleWhileRevalidate,
      grace: merged.grace ?? this.config.grace,
      lock: merged.lock ?? this.config.lock,
    };
  }

  /** Whether `X-Cache` is sent. */
  get xCacheHeader(): boolean {
    return this.config.xCacheHeader;
  }

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

  /** Drops an agent's entries and the agent lists (the guide's `invalidate_agent_cache`). */
  invalidateAgentCache(agentId: string): Promise<void> {
    return this.engine.invalidateTags([`agent:${agentId}`, 'agents']);
  }

  /** Drops a workflow's entries and the workflow lists (the guide's `invalidate_workflow_cache`). */
  invalidateWorkflowCache(workflowId: string): Promise<void> {
    return this.engine.invalidateTags([`workflow:${workflowId}`, 'workflows']);
  }

  /** Drops every user-scoped entry of a user (the guide's `invalidate_user_cache`). */
  invalidateUserCache(userId: string): Promise<void> {
    return this.engine.invalidateTags([`user:${userId}`]);
  }

  /** The guide's `get_stats()` (hit_rate_percent, total_requests, hits, misses) plus more. */
  getStats(): Record<string, number | string> {
    const l1 = this.engine.l1Info;
    return {
      ...this.engine.stats.snapshot(),
      l1_entries: l1.entries,
      l1_bytes: l1.bytes,
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
