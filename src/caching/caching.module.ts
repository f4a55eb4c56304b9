import { CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { ConfigType } from '@nestjs/config';
import Keyv from 'keyv';
import { redisConfig } from '../config';
import { EdgeModule } from '../edge';
import { MonitoringCoreModule } from '../monitoring';
import { RedisKeyvStore } from './app-cache/redis-keyv.store';
import { CacheController } from './cache.controller';
import { cachingConfig } from './caching.config';
import { CachingCoreModule } from './caching-core.module';
import { CachingLifecycle } from './caching.lifecycle';
import { CachingMonitoring } from './caching.monitoring';
import { ConfigurableModuleClass } from './caching.module-definition';
import { RedisL2 } from './engine/redis-l2';
import { CacheInvalidationInterceptor } from './http/cache-invalidation.interceptor';
import { cacheInterceptorProvider, responseStoreProvider } from './caching.providers';
import { CachePolicy } from './http/cache-policy';
import { HttpCacheInterceptor } from './http/http-cache.interceptor';
import { ResponseCacheService } from './response-cache.service';

/**
 * Response caching (`@CacheResponse`, `@InvalidateCache`, `ResponseCacheService`) on an L1 +
 * Redis engine, and `@nestjs/cache-manager`'s `CACHE_MANAGER` for services, on the same Redis
 * under our own prefix. Import once with `CachingModule.forRoot({...defaults})`; it is global.
 * `forRoot({ interceptor: MyCacheInterceptor })` swaps in a subclass of `HttpCacheInterceptor`.
 */
@Module({
  imports: [
    DiscoveryModule,
    EdgeModule,
    CachingCoreModule,
    MonitoringCoreModule,
    CacheModule.registerAsync({
      imports: [CachingCoreModule],
      inject: [RedisL2, redisConfig.KEY, cachingConfig.KEY],
      useFactory: (
        l2: RedisL2,
        redis: ConfigType<typeof redisConfig>,
        caching: ConfigType<typeof cachingConfig>,
      ) => ({
        ttl: caching.ttl * 1000,
        stores: [
          new Keyv({
            store: new RedisKeyvStore(l2, `${redis.keyPrefix}:app:`),
            useKeyPrefix: false,
          }),
        ],
      }),
    }),
  ],
  controllers: [CacheController],
  providers: [
    ResponseCacheService,
    CachePolicy,
    responseStoreProvider,
    cacheInterceptorProvider,
    CacheInvalidationInterceptor,
    CachingLifecycle,
    CachingMonitoring,
  ],
  exports: [ResponseCacheService, HttpCacheInterceptor, CacheInvalidationInterceptor, CacheModule],
})
export class CachingModule extends ConfigurableModuleClass {}
