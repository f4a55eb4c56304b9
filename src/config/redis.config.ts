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
}

/** Typed `redis` namespace. */
export const redisConfig = registerAs('redis', () => {
  const env = validateEnv(RedisEnv, process.env);
  return { url: env.REDIS__URL, poolSize: env.REDIS__POOL_SIZE, keyPrefix: env.REDIS__KEY_PREFIX };
});
