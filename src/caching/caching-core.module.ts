import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { redisConfig } from '../config';
import { RedisOutage, RedisOutageModule, type RedisClient } from '../redis';
import { cachingConfig } from './caching.config';
import { CACHE_ENGINE, CACHE_LOOKUP_READER, CACHE_REDIS_CLIENTS } from './caching.constants';
import { Breaker } from './engine/breaker';
import { CacheEngine } from './engine/cache-engine';
import {
  createCacheClients,
  createLookupReader,
  type LookupReaderConnection,
} from './engine/cache-redis';
import { CacheStats } from './engine/cache-stats';
import { cacheKeyspace } from './engine/keyspace';
import { L1Cache } from './engine/l1-cache';
import { RedisL2 } from './engine/redis-l2';

/** @internal the engine and its Redis connections, shared by the HTTP layer and CACHE_MANAGER. */
@Module({
  imports: [RedisOutageModule],
  providers: [
    {
      provide: CACHE_REDIS_CLIENTS,
      inject: [redisConfig.KEY, cachingConfig.KEY],
      // The cache bounds each call with its own timeout: the connection's must not be shorter.
      useFactory: (
        redis: ConfigType<typeof redisConfig>,
        config: ConfigType<typeof cachingConfig>,
      ) =>
        createCacheClients({
          ...redis,
          commandTimeoutMs: Math.max(redis.commandTimeoutMs, config.redisTimeoutMs),
        }),
    },
    {
      provide: CACHE_LOOKUP_READER,
      inject: [redisConfig.KEY],
      useFactory: (redis: ConfigType<typeof redisConfig>) => createLookupReader(redis),
    },
    // A factory, not useValue: each app instance (and test app) counts on its own.
    { provide: CacheStats, useFactory: () => new CacheStats() },
    {
      provide: RedisL2,
      inject: [
        cachingConfig.KEY,
        CACHE_REDIS_CLIENTS,
        CacheStats,
        CACHE_LOOKUP_READER,
        RedisOutage,
      ],
      useFactory: (
        config: ConfigType<typeof cachingConfig>,
        clients: RedisClient[],
        stats: CacheStats,
        reader: LookupReaderConnection,
        outage: RedisOutage,
      ) =>
        new RedisL2(
          clients,
          config.redisTimeoutMs,
          new Breaker(config.breakerThreshold, config.breakerResetMs),
          stats,
          reader,
          outage,
        ),
    },
    {
      provide: CACHE_ENGINE,
      inject: [cachingConfig.KEY, redisConfig.KEY, RedisL2, CacheStats],
      useFactory: (
        config: ConfigType<typeof cachingConfig>,
        redis: ConfigType<typeof redisConfig>,
        l2: RedisL2,
        stats: CacheStats,
      ) =>
        new CacheEngine(
          new L1Cache(config.l1MaxBytes, config.l1MaxTtl * 1000),
          l2,
          cacheKeyspace(redis.keyPrefix, redis.cluster !== undefined),
          stats,
          { maxEntryBytes: config.maxEntryBytes, lockTtlMs: config.lockTtlMs },
        ),
    },
  ],
  exports: [CACHE_ENGINE, CACHE_REDIS_CLIENTS, CACHE_LOOKUP_READER, RedisL2, CacheStats],
})
export class CachingCoreModule {}
