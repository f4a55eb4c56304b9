import { Inject, Injectable, OnApplicationShutdown, OnModuleInit, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DiscoveryService, HttpAdapterHost, MetadataScanner, Reflector } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { TokenService } from '../auth';
import { redisConfig } from '../config';
import { HttpEdge } from '../edge';
import { closeRedisClients, type RedisClient } from '../redis';
import { FleetCounter } from './fleet-counter';
import { rateLimitConfig } from './rate-limit.config';
import { RATE_LIMIT_REDIS, rateLimitKeyPrefix } from './rate-limit.constants';
import { registerRateLimitHook, RoutePolicies } from './rate-limit.hook';
import { RateLimitMonitoring } from './rate-limit.monitoring';
import { discoverRateLimitedRoutes } from './rate-limit.routes';

/**
 * Adds the limiter's `onRequest` hook at boot (when `RATE_LIMIT__ENABLED`), syncs its counters
 * with Redis every `RATE_LIMIT__SYNC_INTERVAL_MS`, has its metrics registered ({@link RateLimitMonitoring})
 * and closes its Redis connection at shutdown. The app boots while Redis is down: counters stay local until it is back.
 */
@Injectable()
export class RateLimitLifecycle implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private counter?: FleetCounter;

  constructor(
    @Inject(RATE_LIMIT_REDIS) private readonly redis: RedisClient,
    @Inject(rateLimitConfig.KEY) private readonly config: ConfigType<typeof rateLimitConfig>,
    @Inject(redisConfig.KEY) private readonly redisSettings: ConfigType<typeof redisConfig>,
    private readonly tokens: TokenService,
    private readonly adapterHost: HttpAdapterHost,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly monitoring: RateLimitMonitoring,
    @Optional() private readonly edge?: HttpEdge,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!this.config.enabled || !fastify) {
      return;
    }
    this.redis.connect().catch(() => undefined); // logged by the client; reconnects on its own
    const counter = new FleetCounter(
      this.redis,
      rateLimitKeyPrefix(this.redisSettings.keyPrefix, this.redisSettings.cluster !== undefined),
    );
    this.counter = counter;
    const overrides = discoverRateLimitedRoutes(this.discovery, this.scanner, this.reflector);
    const policies = new RoutePolicies(overrides, this.config);
    registerRateLimitHook(fastify, counter, policies, this.tokens, this.edge);
    this.timer = setInterval(() => void counter.sync(), this.config.syncIntervalMs);
    this.timer.unref();
    this.monitoring.register(counter);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.counter?.sync();
    await closeRedisClients([this.redis]);
  }
}
