import type { ConfigType } from '@nestjs/config';
import type { cachingConfig } from './caching.config';

/**
 * Which responses are stored: `cache_success` stores 2xx responses (never 5xx, 401/403, 429,
 * responses with Set-Cookie or `Cache-Control: no-store`); `cache_none` stores nothing.
 */
export type CacheStrategy = 'cache_success' | 'cache_none';

/**
 * Who may share an entry: `public` entries are shared by every caller; `user` entries are keyed
 * by the caller's user id. A request with credentials on a route without an explicit `public`
 * scope is never served a shared entry.
 */
export type CacheScope = 'public' | 'user';

/** Options of one cached route (the guide's `CacheConfig`, plus tags, scope and vary). */
export interface CacheResponseOptions {
  /** Seconds the entry is fresh. @default CACHING__TTL (300) */
  ttl?: number;
  /** First part of the key, e.g. `agents_list` (the guide's `key_prefix`). @default the route path */
  keyPrefix?: string;
  /** Key by user (the guide's `include_user`); same as `scope: 'user'`. @default false */
  includeUser?: boolean;
  /** @default 'public' unless includeUser */
  scope?: CacheScope;
  /** @default CACHING__ENABLED */
  enabled?: boolean;
  /** @default CACHING__STRATEGY ('cache_success') */
  strategy?: CacheStrategy;
  /** @default CACHING__COMPRESS (true) */
  compress?: boolean;
  /** Bytes. @default CACHING__COMPRESSION_THRESHOLD (4096) */
  compressionThreshold?: number;
  /** Include query params in the key (only allow-listed ones). @default CACHING__INCLUDE_QUERY_PARAMS (true) */
  includeQueryParams?: boolean;
  /**
   * Query params that are part of the key. @default the params the route documents
   * (`@ApiQuery`, `@Paginated`, `@Query()` DTO properties); unknown params never make new entries.
   */
  queryParams?: string[];
  /** Params never part of the key (the guide's `exclude_params`). @default CACHING__EXCLUDE_PARAMS */
  excludeParams?: string[];
  /**
   * Tags of the entry, for invalidation; `{name}` is replaced by the path param `name`,
   * e.g. `agent:{id}`. @default []
   */
  tags?: string[];
  /** Named events that drop the route's entries, e.g. `['agent_created']`. @default [] */
  invalidatedBy?: string[];
  /** Request headers whose values are part of the key and listed in `Vary`. @default [] */
  varyHeaders?: string[];
  /** Seconds stale entries are served while one request refreshes. @default CACHING__STALE_WHILE_REVALIDATE */
  staleWhileRevalidate?: number;
  /** Seconds stale entries are served when the handler fails. @default CACHING__GRACE */
  grace?: number;
  /** Fleet-wide single-flight through a Redis lock. @default CACHING__LOCK */
  lock?: boolean;
}

/** Options with every default applied. */
export interface ResolvedCacheOptions {
  ttl: number;
  keyPrefix?: string;
  scope: CacheScope;
  enabled: boolean;
  strategy: CacheStrategy;
  compress: boolean;
  compressionThreshold: number;
  includeQueryParams: boolean;
  queryParams?: string[];
  excludeParams: string[];
  tags: string[];
  invalidatedBy: string[];
  varyHeaders: string[];
  staleWhileRevalidate: number;
  grace: number;
  lock: boolean;
}

/** Route options with every default applied, and whether the route named its scope itself. */
export type RouteCacheOptions = ResolvedCacheOptions & { scopeExplicit: boolean };

/** A route's options with the module's defaults, then the `CACHING__*` env, applied. */
export function resolveCacheOptions(
  options: CacheResponseOptions,
  defaults: Omit<CacheResponseOptions, 'keyPrefix' | 'tags' | 'invalidatedBy'>,
  config: ConfigType<typeof cachingConfig>,
): RouteCacheOptions {
  const merged = { ...defaults, ...options };
  return {
    ttl: merged.ttl ?? config.ttl,
    keyPrefix: options.keyPrefix,
    scope: merged.includeUser ? 'user' : (merged.scope ?? 'public'),
    scopeExplicit: options.scope !== undefined || options.includeUser !== undefined,
    enabled: config.enabled && (merged.enabled ?? true),
    strategy: merged.strategy ?? config.strategy,
    compress: merged.compress ?? config.compress,
    compressionThreshold: merged.compressionThreshold ?? config.compressionThreshold,
    includeQueryParams: merged.includeQueryParams ?? config.includeQueryParams,
    queryParams: merged.queryParams,
    excludeParams: merged.excludeParams ?? config.excludeParams,
    tags: options.tags ?? [],
    invalidatedBy: options.invalidatedBy ?? [],
    varyHeaders: merged.varyHeaders ?? [],
    staleWhileRevalidate: merged.staleWhileRevalidate ?? config.staleWhileRevalidate,
    grace: merged.grace ?? config.grace,
    lock: merged.lock ?? config.lock,
  };
}

/** What a mutating route invalidates after it succeeds. */
export interface InvalidateCacheOptions {
  /** Named events (the guide's `invalidate_by_event`). */
  events?: string[];
  /** Tags; `{name}` is replaced by the path param `name`, `{user}` by the caller's user id. */
  tags?: string[];
}
