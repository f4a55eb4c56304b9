import { createClient, RESP_TYPES } from '@redis/client';
import {
  closeRedisClients,
  createRedisClient,
  reconnectDelay,
  type RedisConnectionSettings,
  settlesWithin,
} from './redis-client.factory';
import type { RedisErrorLog } from './redis-error-log';
import { readBySlot } from './redis-slots';

/** A read-only MGET connection whose values come back as bytes, opened at boot and closed at shutdown. */
export interface RedisLookupReader {
  readonly isReady: boolean;
  mget(keys: string[]): Promise<Array<Buffer | null>>;
  connect(): Promise<void>;
  close(): Promise<void>;
}

/** How long a graceful close (QUIT) may take before the connection is dropped. */
const CLOSE_TIMEOUT_MS = 500;

/**
 * The response cache's hit-path lookup connection, on node-redis (`@redis/client`) rather than
 * ioredis: an MGET of an entry and its tag version costs ~4-6 µs of CPU through node-redis 5 and
 * ~10-11 µs through ioredis 5 (50 in flight, loopback), and a Redis hit is little more than that.
 * Same policy as a `command` connection: no offline queue (a call while disconnected is refused at
 * once), the same connect timeout and jittered reconnect backoff, errors logged by code only.
 *
 * No per-command timeout here: node-redis would arm an `AbortSignal.timeout` per call, and the one
 * caller (the cache's Redis tier) already bounds every call with its own deadline sweep and breaker
 * (`CACHING__REDIS_TIMEOUT_MS`), which costs a Set insert instead of a timer.
 */
export function createRedisLookupReader(
  settings: RedisConnectionSettings,
  log: RedisErrorLog,
): RedisLookupReader {
  if (settings.sentinel || settings.cluster) {
    return createFollowingLookupReader(settings, log);
  }
  const client = createClient({
    url: settings.url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: settings.connectTimeoutMs,
      reconnectStrategy: (retries: number) =>
        reconnectDelay(retries + 1, settings.maxReconnectDelayMs),
    },
  });
  log.attach(client);
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

/**
 * The lookup connection in sentinel and cluster mode: an ioredis `command` connection (the
 * factory's), which follows the sentinels' primary, or the cluster's slots, through a failover.
 * node-redis 5 reaches these setups only through its separate `createSentinel` / `createCluster`
 * APIs; the MGET costs a few µs more here. On a cluster the keys of one lookup may sit on
 * different slots (an entry and its tag versions): one MGET per slot, in parallel.
 */
function createFollowingLookupReader(
  settings: RedisConnectionSettings,
  log: RedisErrorLog,
): RedisLookupReader {
  const client = createRedisClient('command', settings, log, {
    lazyConnect: true,
    enableAutoPipelining: true,
  });
  return {
    get isReady() {
      return client.status === 'ready';
    },
    mget: client.isCluster
      ? (keys) => readBySlot(keys, (slotKeys) => client.mgetBuffer(slotKeys))
      : (keys) => client.mgetBuffer(keys),
    connect: () => client.connect(),
    close: () => closeRedisClients([client], CLOSE_TIMEOUT_MS),
  };
}
