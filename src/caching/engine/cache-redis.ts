import { Logger } from '@nestjs/common';
import { createClient, RESP_TYPES } from '@redis/client';
import Redis from 'ioredis';
import type { LookupReader } from './redis-l2';

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

/** The connection behind a {@link LookupReader}: opened at boot, closed at shutdown. */
export interface LookupReaderConnection extends LookupReader {
  connect(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The hit path's lookup connection, on node-redis (`@redis/client`) rather than ioredis: measured
 * here, an MGET of an entry and its tag version costs ~4-6 µs of CPU through node-redis 5 and
 * ~10-11 µs through ioredis 5 (50 in flight, loopback), and a Redis hit is little more than that
 * lookup. Like the command connections it fails fast (no offline queue: a call while disconnected
 * is refused at once; the tier's timeout and breaker bound the rest) and reconnects in the
 * background (capped at 1 s). Errors are not logged here: the command connections already log
 * an outage, rate-limited, and the URL never reaches a log line.
 */
export function createLookupReader(url: string): LookupReaderConnection {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 1000,
      reconnectStrategy: (retries: number) => reconnectDelay(retries + 1),
    },
  });
  client.on('error', () => undefined);
  // The same connection, with bulk strings returned as Buffers (entries are bytes).
  const bytes = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  return {
    get isReady() {
      return client.isReady;
    },
    mget: (keys) => bytes.mGet(keys),
    connect: async () => {
      await client.connect();
    },
    close: async () => {
      if (client.isOpen && !(await settlesWithin(client.close(), CLOSE_TIMEOUT_MS))) {
        client.destroy();
      }
    },
  };
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

/** How long a graceful close (QUIT) may take before the connection is dropped. */
const CLOSE_TIMEOUT_MS = 500;

/** Whether `closing` succeeded within `ms` (false when it failed or took longer). */
function settlesWithin(closing: Promise<unknown>, ms: number): Promise<boolean> {
  const closed = closing.then(
    () => true,
    () => false,
  );
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref());
  return Promise.race([closed, timeout]);
}

/** Closes connections: QUIT with a bound, then drop. */
export async function closeClients(clients: Redis[]): Promise<void> {
  await Promise.all(
    clients.map(async (client) => {
      if (client.status !== 'end' && !(await settlesWithin(client.quit(), CLOSE_TIMEOUT_MS))) {
        client.disconnect();
      }
    }),
  );
}
