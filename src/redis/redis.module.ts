import { Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import Redis from 'ioredis';
import { redisConfig } from '../config';
import { createRedisClient } from './redis-client.factory';
import { REDIS_CLIENT, REDIS_CONNECT_TIMEOUT_MS, REDIS_QUIT_TIMEOUT_MS } from './redis.constants';
import { InjectRedis } from './redis.decorator';
import { RedisHealthIndicator } from './redis.health';

const logger = new Logger('Redis');

/**
 * One shared ioredis client for app-level use (`@InjectRedis()`), built from `REDIS__URL`.
 * The app boots while Redis is down: the first connect is awaited for at most the connect
 * timeout, and the client keeps reconnecting in the background. Closed at shutdown.
 */
@Module({
  imports: [TerminusModule],
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [redisConfig.KEY],
      useFactory: (config: ConfigType<typeof redisConfig>) => createRedisClient(config.url, logger),
    },
    RedisHealthIndicator,
  ],
  exports: [REDIS_CLIENT, RedisHealthIndicator],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  async onModuleInit(): Promise<void> {
    const connected = this.redis.connect().then(
      () => undefined,
      () => undefined, // logged by the client's error listener; reconnects on its own
    );
    await Promise.race([connected, sleep(REDIS_CONNECT_TIMEOUT_MS)]);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'end') {
      return;
    }
    const quit = this.redis.quit().then(
      () => true,
      () => false,
    );
    const done = await Promise.race([quit, sleep(REDIS_QUIT_TIMEOUT_MS).then(() => false)]);
    if (!done) {
      this.redis.disconnect();
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
