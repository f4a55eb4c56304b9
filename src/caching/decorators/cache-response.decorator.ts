import { applyDecorators, SetMetadata } from '@nestjs/common';
import { INTERCEPTORS_METADATA } from '@nestjs/common/constants';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { CacheResponseOptions } from '../cache-options';
import { CACHE_RESPONSE_OPTIONS } from '../caching.constants';
import { CacheResponseInterceptor } from '../http/cache-response.interceptor';

/**
 * Binds the cache as the first of the route's own interceptors, whatever the decorator order: what
 * the others add to the response (the `Link` of `@Paginated`) happens inside a miss and is stored.
 */
function UseCacheFirst(): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const on = (descriptor?.value as object | undefined) ?? target;
    const bound = (Reflect.getMetadata(INTERCEPTORS_METADATA, on) ?? []) as unknown[];
    Reflect.defineMetadata(INTERCEPTORS_METADATA, [CacheResponseInterceptor, ...bound], on);
  };
}

/**
 * Caches the route's response in L1 + Redis (the guide's `@cache_response`): keys from the route,
 * path params, allow-listed query params and (for `includeUser`/`scope: 'user'`) the caller;
 * strong ETag with `304` on `If-None-Match`; `Cache-Control`, `Vary`, `Age`, `X-Cache`. The entry
 * keeps the representation headers (`Link`) the route's other interceptors set. Keys and rules
 * come from the app's `HttpCacheInterceptor` (a subclass: `CachingModule.forRoot({ interceptor })`).
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
    // Also what read routing (persistence) looks for, as the app wires it: with read replicas,
    // a refill reads only a replica that has the fleet's latest write.
    SetMetadata(CACHE_RESPONSE_OPTIONS, options),
    UseCacheFirst(),
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'ETag of a cached copy; 304 when unchanged',
    }),
    ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' }),
  );
}
