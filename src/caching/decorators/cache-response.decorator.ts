import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { CacheResponseOptions } from '../cache-options';
import { CACHE_RESPONSE_OPTIONS } from '../caching.constants';
import { HttpCacheInterceptor } from '../http/http-cache.interceptor';

/**
 * Caches the route's response in L1 + Redis (the guide's `@cache_response`): keys from the route,
 * path params, allow-listed query params and (for `includeUser`/`scope: 'user'`) the caller;
 * strong ETag with `304` on `If-None-Match`; `Cache-Control`, `Vary`, `Age`, `X-Cache`.
 *
 * @example
 * ```ts
 * @Get()
 * @CacheResponse({ ttl: 300, keyPrefix: 'agents_list', tags: ['agents'] })
 * list() {}
 *
 * @Get('profile')
 * @CacheResponse({ ttl: 300, keyPrefix: 'user_profile', includeUser: true })
 * profile() {}
 * ```
 * @param options see {@link CacheResponseOptions}; every option defaults to the `CACHING__*` env.
 * @publicApi
 */
export function CacheResponse(
  options: CacheResponseOptions = {},
): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(CACHE_RESPONSE_OPTIONS, options),
    UseInterceptors(HttpCacheInterceptor),
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'ETag of a cached copy; 304 when unchanged',
    }),
    ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' }),
  );
}
