import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DiscoveryService, HttpAdapterHost, MetadataScanner, Reflector } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type Redis from 'ioredis';
import { TokenService } from '../auth';
import { redisConfig } from '../config';
import { MetricsService } from '../monitoring';
import { closeRedisClients } from '../redis';
import { FleetCounter } from './fleet-counter';
import { rateLimitConfig } from './rate-limit.config';
import { RATE_LIMIT_KEY_SEGMENT, RATE_LIMIT_REDIS } from './rate-limit.constants';
import { registerRateLimitHook, RoutePolicies } from './rate-limit.hook';
import { discoverRateLimitedRoutes } from './rate-limit.routes';

/**
 * Adds the limiter's `onRequest` hook at boot (when `RATE_LIMIT__ENABLED`), syncs its counters
 * with Redis every `RATE_LIMIT__SYNC_INTERVAL_MS`, registers its metrics and closes its Redis
 * connection at shutdown. The app boots while Redis is down: counters stay local until it is back.
 */
@Injectable()
export class RateLimitLifecycle implements OnModuleInit, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private counter?: FleetCounter;

  constructor(
    @Inject(RATE_LIMIT_REDIS) private readonly redis: Redis,
    @Inject(rateLimitConfig.KEY) private readonly config: ConfigType<typeof rateLimitConfig>,
    @Inject(redisConfig.KEY) private readonly redisSettings: ConfigType<typeof redisConfig>,
    private readonly tokens: TokenService,
    private readonly adapterHost: HttpAdapterHost,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly metrics: MetricsService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!this.config.enabled || !fastify) {
      return;
    }
    this.redis.connect().catch(() => undefined); // logged by the client; reconnects on its own
    const counter = new FleetCounter(
      this.redis,
      `${this.redisSettings.keyPrefix}:${RATE_LIMIT_KEY_SEGMENT}:`,
    );
    this.counter = counter;
    const overrides = discoverRateLimitedRoutes(this.discovery, this.scanner, this.reflector);
    registerRateLimitHook(fastify, counter, new RoutePolicies(overrides, this.config), this.tokens);
    this.timer = setInterval(() => void counter.sync(), this.config.syncIntervalMs);
    this.timer.unref();
    this.registerMonitoring(counter);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.counter?.sync();
    await closeRedisClients([this.redis]);
  }

  private registerMonitoring(counter: FleetCounter): void {
    const stats = counter.stats;
    this.metrics.counter({
      name: 'rate_limit_requests_total',
      help: 'Requests counted by the rate limiter, by decision',
      labelNames: ['decision'],
      collect() {
        this.reset();
        this.inc({ decision: 'allowed' }, stats.allowed);
        this.inc({ decision: 'limited' }, stats.limited);
      },
    });
    this.metrics.counter({
      name: 'rate_limit_fail_open_total',
      help: 'Requests let through while Redis was unreachable (decided on this instance count alone)',
      collect() {
        this.reset();
        this.inc(stats.failOpen);
      },
    });
    this.metrics.counter({
      name: 'rate_limit_redis_failures_total',
      help: 'Syncs of the rate limit counters with Redis that failed or timed out',
      collect() {
        this.reset();
        this.inc(stats.syncFailures);
      },
    });
    this.metrics.gauge({
      name: 'rate_limit_redis_degraded',
      help: '1 while the rate limiter runs on local counts (its last Redis sync failed)',
      collect() {
        this.set(stats.degraded ? 1 : 0);
      },
    });
    this.metrics.gauge({
      name: 'rate_limit_tracked_clients',
      help: 'Users and IPs with a rate limit counter in this instance',
      collect() {
        this.set(counter.size);
      },
    });
  }
}
