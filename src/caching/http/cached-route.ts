import type { ExecutionContext, Type } from '@nestjs/common';
import type { RouteCacheOptions } from '../cache-options';
import type { BuiltKey } from './cache-key.builder';
import type { KeyMemo } from './key-memo';

type Handler = (...args: unknown[]) => unknown;

/** What the policy knows of one `@CacheResponse` route, worked out once per handler. */
export interface CachedRoute {
  options: RouteCacheOptions;
  /** Query params that may be part of the key (the others bypass or are excluded). */
  allowedQuery: ReadonlySet<string>;
  /** Status of the handler's response (`@HttpCode`, else 200). */
  status: number;
  handler: Handler;
  controller: Type;
  /** Default keys of recent URLs (and principals, for user scope), both paths. */
  memo?: KeyMemo;
}

/** The interceptor's overridable hooks, as the policy calls them on the fast path. */
export interface CacheHooks {
  /** True when a subclass overrides `trackBy` or `isRequestCacheable`. */
  readonly customHooks: boolean;
  /** `isRequestCacheable`, then `trackBy`: the key, or undefined to bypass the cache. */
  lookupKey(context: ExecutionContext, options: RouteCacheOptions): BuiltKey | undefined;
}
