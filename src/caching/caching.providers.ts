import type { NestInterceptor, Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CACHE_ENGINE, CACHE_INTERCEPTOR_CLASS, RESPONSE_STORE } from './caching.constants';
import { CachePolicy } from './http/cache-policy';
import { HttpCacheInterceptor } from './http/http-cache.interceptor';

/**
 * The app's one {@link HttpCacheInterceptor}: the class named by `forRoot({ interceptor })`, else
 * the stock one. The policy gets its hooks, so the fast path keys requests the way it does.
 */
export const cacheInterceptorProvider: Provider = {
  provide: HttpCacheInterceptor,
  inject: [CACHE_INTERCEPTOR_CLASS, ModuleRef, CachePolicy],
  useFactory: async (
    type: Type<NestInterceptor> | null,
    moduleRef: ModuleRef,
    policy: CachePolicy,
  ): Promise<HttpCacheInterceptor> => {
    const interceptor = await moduleRef.create(type ?? HttpCacheInterceptor);
    if (!(interceptor instanceof HttpCacheInterceptor)) {
      throw new Error(`CachingModule: interceptor ${type?.name} must extend HttpCacheInterceptor`);
    }
    policy.useHooks(interceptor);
    return interceptor;
  },
};

/** The engine as the HTTP layer sees it (`ResponseStore`). */
export const responseStoreProvider: Provider = {
  provide: RESPONSE_STORE,
  useExisting: CACHE_ENGINE,
};
