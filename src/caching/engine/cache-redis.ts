import { Logger } from '@nestjs/common';
import {
  closeRedisClients,
  createRedisClient,
  createRedisLookupReader,
  RedisErrorLog,
  type RedisConnectionSettings,
  type RedisLookupReader,
  type RedisClient,
} from '../../redis';

/** The cache's connection settings: the `redis` namespace (URL, pool size, timeouts). */
export type CacheRedisSettings = RedisConnectionSettings & { poolSize: number };

/** One error log for every connection of the cache: an outage is one line, not one per socket. */
const cacheLog = new RedisErrorLog('Cache', new Logger('CacheRedis'));

/**
 * The cache's `REDIS__POOL_SIZE` command connections (the factory's `command` role: bounded
 * commands, no offline queue, no retries: the cache has its own timeout and breaker).
 */
export function createCacheClients(settings: CacheRedisSettings): RedisClient[] {
  return Array.from({ length: settings.poolSize }, () =>
    createRedisClient('command', settings, cacheLog, {
      lazyConnect: true,
      // Commands issued in the same loop turn go out in one write (the hit path's biggest cost).
      enableAutoPipelining: true,
    }),
  );
}

/** The connection behind a {@link LookupReader}: opened at boot, closed at shutdown. */
export type LookupReaderConnection = RedisLookupReader;

/** The hit path's lookup connection (see `createRedisLookupReader`). */
export function createLookupReader(settings: RedisConnectionSettings): LookupReaderConnection {
  return createRedisLookupReader(settings, cacheLog);
}

/**
 * The subscriber of the invalidation bus (the factory's `subscriber` role). On a cluster it uses
 * sharded pub/sub: SSUBSCRIBE on the primary that owns the channel's slot, followed through
 * failovers, instead of a SUBSCRIBE every node would have to relay.
 */
export function createBusSubscriber(settings: RedisConnectionSettings): RedisClient {
  return createRedisClient('subscriber', settings, cacheLog, {
    lazyConnect: true,
    shardedSubscribers: settings.cluster !== undefined,
  });
}

/** Closes connections: QUIT with a bound, then drop. */
export function closeClients(clients: RedisClient[]): Promise<void> {
  return closeRedisClients(clients, 500);
}
