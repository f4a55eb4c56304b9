import { Logger, Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DiscoveryModule } from '@nestjs/core';
import { AuthModule } from '../auth';
import { redisConfig } from '../config';
import { MonitoringCoreModule } from '../monitoring';
import { createRedisClient, RedisErrorLog } from '../redis';
import { rateLimitConfig } from './rate-limit.config';
import { RATE_LIMIT_REDIS } from './rate-limit.constants';
import { RateLimitLifecycle } from './rate-limit.lifecycle';
import { RateLimitMonitoring } from './rate-limit.monitoring';

/**
 * Rate limiting for every HTTP route: per user (bearer token) or per client IP, fixed windows
 * shared by the fleet through Redis, `@RateLimit()` per route, 429 with `Retry-After` and the
 * `RateLimit-*` headers; `/health/*` and `/metrics` exempt. Runs as a Fastify `onRequest` hook,
 * so the response cache's fast path is limited too. Import once in the root module.
 */
@Module({
  imports: [DiscoveryModule, AuthModule, MonitoringCoreModule],
  providers: [
    {
      provide: RATE_LIMIT_REDIS,
      inject: [redisConfig.KEY, rateLimitConfig.KEY],
      useFactory: (
        redis: ConfigType<typeof redisConfig>,
        config: ConfigType<typeof rateLimitConfig>,
      ) =>
        createRedisClient(
          'command',
          { ...redis, commandTimeoutMs: config.redisTimeoutMs },
          new RedisErrorLog('RateLimit', new Logger('Redis')),
          { lazyConnect: true },
        ),
    },
    RateLimitLifecycle,
    RateLimitMonitoring,
  ],
})
export class RateLimitModule {}
