import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { InvalidateCacheOptions } from '../cache-options';
import { INVALIDATE_CACHE_OPTIONS } from '../caching.constants';
import { CacheInvalidationInterceptor } from '../http/cache-invalidation.interceptor';

/**
 * After the route succeeds, invalidates cached responses by named event (the guide's
 * `invalidate_by_event`) and by tag (`{param}` is filled from the path).
 *
 * @example
 * ```ts
 * @Put(':id')
 * @InvalidateCache({ events: ['agent_updated'], tags: ['agent:{id}'] })
 * update() {}
 * ```
 * @publicApi
 */
export function InvalidateCache(options: InvalidateCacheOptions): MethodDecorator {
  return applyDecorators(
    SetMetadata(INVALIDATE_CACHE_OPTIONS, options),
    UseInterceptors(CacheInvalidationInterceptor),
  );
}
