/** Metadata key of `@CacheResponse` options. */
export const CACHE_RESPONSE_OPTIONS = 'caching:response-options';
/** Metadata key of `@InvalidateCache` options. */
export const INVALIDATE_CACHE_OPTIONS = 'caching:invalidate-options';
/** @internal token of the cache engine. */
export const CACHE_ENGINE = 'caching:engine';
/** @internal token of the cache's Redis connections. */
export const CACHE_REDIS_CLIENTS = 'caching:redis-clients';
/** The hit path's lookup connection (`createLookupReader`). */
export const CACHE_LOOKUP_READER = 'caching:lookup-reader';
/** Response header telling how the cache answered. */
export const X_CACHE_HEADER = 'x-cache';
/** @internal token of the cache as the HTTP layer reads and writes it (`ResponseStore`). */
export const RESPONSE_STORE = 'caching:response-store';
/** @internal token of the interceptor class named by `CachingModule.forRoot({ interceptor })`. */
export const CACHE_INTERCEPTOR_CLASS = 'caching:interceptor-class';
