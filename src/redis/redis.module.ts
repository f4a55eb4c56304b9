import { Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { redisConfig } from '../config';
import { MonitoringCoreModule } from '../monitoring';
import { closeRedisClients, createRedisClient } from './redis-client.factory';
import { RedisErrorLog } from './redis-error-log';
import { REDIS_CLIENT } from './redis.constants';
import type { RedisClient } from './redis-cluster';
import { InjectRedis } from './redis.decorator';
import { RedisHealthIndicator } from './redis.health';
import { RedisMonitoring } from './redis.monitoring';
import { RedisOutageModule } from './redis-outage';

/**
 * One shared ioredis `command` client for app-level use (`@InjectRedis()`: count cache, health),
 * built from `REDIS__*` by the factory: every command bounded by `REDIS__COMMAND_TIMEOUT_MS`, no
 * offline queue. The app boots while Redis is down: the first connect is awaited for at most the
 * connect timeout, and the client keeps reconnecting in the background. Closed at shutdown.
 * Its readiness check is registered with monitoring ({@link RedisMonitoring}).
 */
@Module({
  imports: [MonitoringCoreModule, TerminusModule, RedisOutageModule],
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [redisConfig.KEY],
      useFactory: (config: ConfigType<typeof redisConfig>) =>
        createRedisClient('command', config, new RedisErrorLog('App', new Logger('Redis')), {
          lazyConnect: true,
        }),
    },
    RedisHealthIndicator,
    RedisMonitoring,
  ],
  exports: [REDIS_CLIENT, RedisHealthIndicator],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @InjectRedis() private readonly redis: RedisClient,
    @Inject(redisConfig.KEY) private readonly config: ConfigType<typeof redisConfig>,
  ) {}

  async onModuleInit(): Promise<void> {
    const connected = this.redis.connect().then(
      () => undefined,
      () => undefined, // logged by the client's error log; reconnects on its own
    );
    await Promise.race([connected, sleep(this.config.connectTimeoutMs)]);
  }

  async onApplicationShutdown(): Promise<void> {
    await closeRedisClients([this.redis]);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
