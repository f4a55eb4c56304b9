export { CachingModule } from './caching.module';
export { ResponseCacheService } from './response-cache.service';
export type { CacheInfo } from './response-cache.service';
export { CacheResponse } from './decorators/cache-response.decorator';
export { CACHE_RESPONSE_OPTIONS } from './caching.constants';
export { InvalidateCache } from './decorators/invalidate-cache.decorator';
export { HttpCacheInterceptor } from './http/http-cache.interceptor';
export { CachePolicy } from './http/cache-policy';
export { CacheInvalidationInterceptor } from './http/cache-invalidation.interceptor';
export type { BuiltKey, KeyInputs } from './http/cache-key.builder';
export type {
  CacheResponseOptions,
  RouteCacheOptions,
  CacheScope,
  CacheStrategy,
  InvalidateCacheOptions,
  ResolvedCacheOptions,
} from './cache-options';
export type { CachingModuleExtras, CachingModuleOptions } from './caching.module-definition';
export { cachingConfig, CachingEnv } from './caching.config';
