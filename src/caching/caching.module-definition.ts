import { ConfigurableModuleBuilder } from '@nestjs/common';
import { CacheResponseOptions } from './cache-options';

/**
 * Module-wide defaults of `@CacheResponse` (they override the `CACHING__*` env defaults;
 * routes override both).
 */
export type CachingModuleOptions = Omit<
  CacheResponseOptions,
  'keyPrefix' | 'tags' | 'invalidatedBy'
>;

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: CACHING_MODULE_OPTIONS,
  OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<CachingModuleOptions>({ moduleName: 'Caching' })
  .setClassMethodName('forRoot')
  // Global by default so any module's routes can use @CacheResponse without importing it.
  .setExtras({ isGlobal: true }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
