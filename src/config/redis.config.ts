import { registerAs } from '@nestjs/config';
import { IsString, Matches } from 'class-validator';
import { EnvInt } from './env.decorators';
import { validateEnv } from './validate-env';

/** Env keys of the shared Redis (cache and queues use the same server, each under its own prefix). */
export class RedisEnv {
  /** Redis shared by the response cache, cursors' count cache and the Bull queues (each under its own prefix). */
  @IsString()
  @Matches(/^rediss?:\/\/[^\s]+$/, { message: '$property must be a redis:// or rediss:// URL' })
  REDIS__URL = 'redis://127.0.0.1:6379';

  /**
   * Command connections the cache opens to Redis, used round-robin (plus one for hit lookups and
   * one for the invalidation bus).
   */
  @EnvInt(1, 64)
  REDIS__POOL_SIZE = 10;

  /** Prefix of every key this service writes, so it never touches keys it does not own. */
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, {
    message: '$property must be 1-64 characters of letters, digits, colon, dash or underscore',
  })
  REDIS__KEY_PREFIX = 'agentic';

  /**
   * Longest a Redis command of the cache tier (count cache, app cache, health PING) may take before
   * it fails and the caller goes on without Redis. The response cache's hit path keeps its own,
   * tighter `CACHING__REDIS_TIMEOUT_MS` in front of it.
   */
  @EnvInt(5, 10000)
  REDIS__COMMAND_TIMEOUT_MS = 100;

  /**
   * Command timeout of the queues' command connection (enqueue, task lookup, Bull's bookkeeping);
   * longer than the cache tier's because Bull's scripts may legitimately run for a while. Blocking
   * connections (BRPOPLPUSH) never get one.
   */
  @EnvInt(50, 60000)
  REDIS__QUEUE_COMMAND_TIMEOUT_MS = 1000;

  /** Longest a connection attempt may take before it counts as failed (and a reconnect is scheduled). */
  @EnvInt(50, 60000)
  REDIS__CONNECT_TIMEOUT_MS = 1000;

  /** Cap of the jittered exponential backoff between reconnect attempts while Redis is down. */
  @EnvInt(50, 60000)
  REDIS__MAX_RECONNECT_DELAY_MS = 2000;
}

/** Typed `redis` namespace. */
export const redisConfig = registerAs('redis', () => {
  const env = validateEnv(RedisEnv, process.env);
  return {
    url: env.REDIS__URL,
    poolSize: env.REDIS__POOL_SIZE,
    keyPrefix: env.REDIS__KEY_PREFIX,
    commandTimeoutMs: env.REDIS__COMMAND_TIMEOUT_MS,
    queueCommandTimeoutMs: env.REDIS__QUEUE_COMMAND_TIMEOUT_MS,
    connectTimeoutMs: env.REDIS__CONNECT_TIMEOUT_MS,
    maxReconnectDelayMs: env.REDIS__MAX_RECONNECT_DELAY_MS,
  };
});
