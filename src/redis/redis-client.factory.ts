import type { LoggerService } from '@nestjs/common';
import Redis from 'ioredis';
import {
  REDIS_CONNECT_TIMEOUT_MS,
  REDIS_ERROR_LOG_INTERVAL_MS,
  REDIS_MAX_RECONNECT_DELAY_MS,
} from './redis.constants';

/** Delay before reconnect attempt `attempt` (1-based): linear backoff, capped. */
export function reconnectDelay(attempt: number): number {
  return Math.min(attempt * 200, REDIS_MAX_RECONNECT_DELAY_MS);
}

/**
 * Builds the shared client so that it fails fast while Redis is down (no offline queue, one
 * retry per command) and keeps reconnecting in the background. Errors are logged once per
 * outage and then at most every {@link REDIS_ERROR_LOG_INTERVAL_MS}, by error code only: the
 * URL (and so the password) never reaches a log line.
 */
export function createRedisClient(url: string, logger: LoggerService): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: reconnectDelay,
  });
  let lastLoggedAt = 0;
  let failing = false;
  client.on('error', (error: Error & { code?: string }) => {
    const now = Date.now();
    if (!failing || now - lastLoggedAt >= REDIS_ERROR_LOG_INTERVAL_MS) {
      logger.warn(
        `Redis unavailable (${error.code ?? error.name}); reconnecting in the background`,
      );
      lastLoggedAt = now;
    }
    failing = true;
  });
  client.on('ready', () => {
    if (failing) {
      logger.log('Redis connection restored');
    }
    failing = false;
  });
  return client;
}
