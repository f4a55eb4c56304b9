import { registerAs } from '@nestjs/config';
import { EnvBoolean, EnvInt, validateEnv } from '../config';

/** Env keys of the rate limiter (per user for bearer requests, per client IP otherwise). */
export class RateLimitEnv {
  /** Master switch: when false no request is counted or refused. */
  @EnvBoolean()
  RATE_LIMIT__ENABLED = true;

  /** Requests a user (or, without a token, a client IP) may make per window, fleet-wide. */
  @EnvInt(1, 100000000)
  RATE_LIMIT__MAX = 1000;

  /** Length of the fixed window, in ms; `@RateLimit()` may set its own per route. */
  @EnvInt(100, 86400000)
  RATE_LIMIT__WINDOW_MS = 10000;

  /**
   * How often each instance adds its counts to the fleet's counters in Redis (one pipeline for
   * every active client). A fleet of N instances can let through up to about N x this interval's
   * traffic beyond the limit before the shared counts catch up; one instance never does.
   */
  @EnvInt(10, 10000)
  RATE_LIMIT__SYNC_INTERVAL_MS = 100;

  /** Timeout of a sync with Redis; a failed or late sync leaves each instance on its own counts. */
  @EnvInt(5, 10000)
  RATE_LIMIT__REDIS_TIMEOUT_MS = 50;
}

/** Typed `rateLimit` namespace. */
export const rateLimitConfig = registerAs('rateLimit', () => {
  const env = validateEnv(RateLimitEnv, process.env);
  return {
    enabled: env.RATE_LIMIT__ENABLED,
    limit: env.RATE_LIMIT__MAX,
    windowMs: env.RATE_LIMIT__WINDOW_MS,
    syncIntervalMs: env.RATE_LIMIT__SYNC_INTERVAL_MS,
    redisTimeoutMs: env.RATE_LIMIT__REDIS_TIMEOUT_MS,
  };
});

export type RateLimitConfig = ReturnType<typeof rateLimitConfig>;
