import { ConfigurableModuleBuilder, type NestInterceptor, type Type } from '@nestjs/common';
import { CacheResponseOptions } from './cache-options';
import { CACHE_INTERCEPTOR_CLASS } from './caching.constants';

/**
 * Module-wide defaults of `@CacheResponse` (they override the `CACHING__*` env defaults;
 * routes override both).
 */
export type CachingModuleOptions = Omit<
  CacheResponseOptions,
  'keyPrefix' | 'tags' | 'invalidatedBy'
>;

/** Options of `CachingModule.forRoot` that are not route defaults. */
export interface CachingModuleExtras {
  /** @default true */
  isGlobal: boolean;
  /**
   * A subclass of `HttpCacheInterceptor` (overriding `trackBy` / `isRequestCacheable`) that every
   * `@CacheResponse` route and the fast path use. Anything else fails the boot.
   * @default HttpCacheInterceptor
   */
  interceptor?: Type<NestInterceptor>;
}

const DEFAULT_EXTRAS: CachingModuleExtras = { isGlobal: true, interceptor: undefined };

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: CACHING_MODULE_OPTIONS,
  OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CachingModuleOptions>({ moduleName: 'Caching' })
  .setClassMethodName('forRoot')
  // Global by default so any module's routes can use @CacheResponse without importing it.
  .setExtras(DEFAULT_EXTRAS, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: [
      ...(definition.providers ?? []),
      { provide: CACHE_INTERCEPTOR_CLASS, useValue: extras.interceptor ?? null },
    ],
  }))
  .build();
