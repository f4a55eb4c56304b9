import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

const logger = new Logger('CacheRedis');
// Reconnect quickly (cap 1 s) so the cache is back within seconds of Redis returning.
const reconnectDelay = (attempt: number): number => Math.min(attempt * 100, 1000);

/**
 * The cache's Redis connections: `size` command connections that fail fast (no offline queue,
 * no retries: the cache has its own timeout and breaker) and reconnect in the background.
 * The URL (and so any password) never reaches a log line.
 */
export function createCacheClients(url: string, size: number): Redis[] {
  let lastLog = 0;
  return Array.from({ length: size }, () => {
    const client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // Commands issued in the same loop turn go out in one write (the hit path's biggest cost).
      enableAutoPipelining: true,
      connectTimeout: 1000,
      retryStrategy: reconnectDelay,
    });
    client.on('error', (error: Error & { code?: string }) => {
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        logger.warn(
          `cache Redis unavailable (${error.code ?? error.name}); serving from L1 and handlers`,
        );
      }
    });
    return client;
  });
}

/** The subscriber of the invalidation bus (queues its SUBSCRIBE until connected). */
export function createBusSubscriber(url: string): Redis {
  const subscriber = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: null,
    connectTimeout: 1000,
    retryStrategy: reconnectDelay,
  });
  subscriber.on('error', () => undefined);
  return subscriber;
}

/** Closes connections: QUIT with a bound, then drop. */
export async function closeClients(clients: Redis[]): Promise<void> {
  await Promise.all(
    clients.map(async (client) => {
      if (client.status === 'end') {
        return;
      }
      const quit = client.quit().then(
        () => true,
        () => false,
      );
      const timeout = new Promise<boolean>((resolve) =>
        setTimeout(() => resolve(false), 500).unref(),
      );
      if (!(await Promise.race([quit, timeout]))) {
        client.disconnect();
      }
    }),
  );
}
