import Redis, { type RedisOptions } from 'ioredis';
import { createClusterClient, type RedisClient, type RedisClusterSettings } from './redis-cluster';
import type { RedisErrorLog } from './redis-error-log';
import { REDIS_QUIT_TIMEOUT_MS, REDIS_RECONNECT_BASE_DELAY_MS } from './redis.constants';

/**
 * What a connection is for:
 * - `command`: request-path commands. Bounded by the command timeout, no offline queue, no retry:
 *   while Redis is down or paused a call fails within the timeout and the caller goes on without it.
 * - `subscriber`: pub/sub. Its SUBSCRIBE waits for the connection (offline queue on, no timeout) and
 *   ioredis subscribes again after each reconnect.
 * - `blocking`: Bull's BRPOPLPUSH connection. Never a command timeout (the command blocks on purpose).
 *
 * `subscriber` and `blocking` have no ready check and no per-request retry limit, as Bull requires.
 */
export type RedisRole = 'command' | 'subscriber' | 'blocking';

/** What every connection needs from `REDIS__*` (the `redis` config namespace fits). */
export interface RedisConnectionSettings {
  url: string;
  /** Per-command timeout of `command` connections (`REDIS__COMMAND_TIMEOUT_MS`). */
  commandTimeoutMs: number;
  /** `REDIS__CONNECT_TIMEOUT_MS` */
  connectTimeoutMs: number;
  /** Cap of the reconnect backoff (`REDIS__MAX_RECONNECT_DELAY_MS`). */
  maxReconnectDelayMs: number;
  /**
   * Set when `REDIS__MODE=sentinel`: the primary is asked of these sentinels and followed through
   * failovers; `url` then only gives the credentials and the database number.
   */
  sentinel?: RedisSentinelSettings;
  /**
   * Set when `REDIS__MODE=cluster`: the connection is a cluster client that learns the topology
   * from these seeds and follows failovers and slot moves; `url` then only gives the credentials.
   */
  cluster?: RedisClusterSettings;
}

/** `REDIS__SENTINELS` and `REDIS__SENTINEL_NAME`. */
export interface RedisSentinelSettings {
  sentinels: Array<{ host: string; port: number }>;
  name: string;
}

/**
 * Where a sentinel-mode connection goes: the primary of `sentinel.name` as the sentinels report
 * it, with the URL's credentials and database number (the URL's host is not used). The sentinels
 * themselves are asked without credentials (`requirepass` on sentinels is not supported yet).
 */
export function sentinelTarget(url: string, sentinel: RedisSentinelSettings): RedisOptions {
  const parsed = new URL(url);
  const db = Number(parsed.pathname.replace(/^\//, '') || 0);
  return {
    ...(parsed.username && { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password && { password: decodeURIComponent(parsed.password) }),
    ...(Number.isInteger(db) && db > 0 && { db }),
    sentinels: sentinel.sentinels,
    name: sentinel.name,
    // No failover detector: Redis closes every client connection when a primary is demoted, so
    // connections reconnect through the sentinels anyway, and ioredis 5's detector kept its
    // sentinel connections open after quit() (a closed app's process never exited).
    failoverDetector: false,
  };
}

/**
 * Delay before reconnect attempt `attempt` (1-based): exponential from 50 ms, capped, with "equal
 * jitter" (between half and all of it) so a fleet that lost Redis together does not come back in
 * lockstep.
 */
export function reconnectDelay(
  attempt: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, REDIS_RECONNECT_BASE_DELAY_MS * 2 ** Math.min(attempt - 1, 20));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The ioredis options of a role (see {@link RedisRole}). */
export function redisClientOptions(
  role: RedisRole,
  settings: RedisConnectionSettings,
): RedisOptions {
  const common: RedisOptions = {
    connectTimeout: settings.connectTimeoutMs,
    retryStrategy: (attempt: number) => reconnectDelay(attempt, settings.maxReconnectDelayMs),
  };
  if (role === 'command') {
    return {
      ...common,
      commandTimeout: settings.commandTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    };
  }
  return { ...common, maxRetriesPerRequest: null, enableReadyCheck: false };
}

/** Options a caller may add to its role's: connection timing and the role's guarantees are fixed. */
export type RedisClientExtras = Pick<
  RedisOptions,
  'lazyConnect' | 'enableAutoPipelining' | 'maxRetriesPerRequest' | 'enableOfflineQueue'
> & {
  /**
   * Cluster mode only: SSUBSCRIBE goes to the primary that owns the channel's slot and follows it
   * through failovers (one subscriber connection per primary). Ignored otherwise.
   */
  shardedSubscribers?: boolean;
};

/**
 * The one way this service opens an ioredis connection: the role's options (timeouts, offline
 * queue, reconnect policy) and the error log of its connection set. The URL (and so any password)
 * never reaches a log line.
 *
 * @example
 * ```ts
 * const client = createRedisClient('command', config, new RedisErrorLog('Cache', logger), {
 *   lazyConnect: true,
 * });
 * ```
 */
export function createRedisClient(
  role: RedisRole,
  settings: RedisConnectionSettings,
  log: RedisErrorLog,
  extras: RedisClientExtras = {},
): RedisClient {
  const options = redisClientOptions(role, settings);
  // A subscriber or blocking connection must keep Bull's required `null`.
  // Only a `command` connection takes these: subscriber and blocking ones keep Bull's values.
  // (ioredis arms the command timeout before it queues a command offline, so a `command`
  // connection that keeps its offline queue still never waits longer than the timeout.)
  const { maxRetriesPerRequest, enableOfflineQueue, shardedSubscribers, ...rest } = extras;
  const commandOnly = role === 'command' ? { maxRetriesPerRequest, enableOfflineQueue } : {};
  const merged: RedisOptions = {
    ...options,
    ...rest,
    ...Object.fromEntries(Object.entries(commandOnly).filter(([, value]) => value !== undefined)),
  };
  if (settings.cluster) {
    return log.attach(
      createClusterClient(settings.cluster, merged, settings.url, { shardedSubscribers }),
    );
  }
  const client = settings.sentinel
    ? new Redis({
        ...sentinelTarget(settings.url, settings.sentinel),
        ...merged,
        // Asking a sentinel that is down for the primary backs off like a reconnect.
        sentinelRetryStrategy: (attempt: number) =>
          reconnectDelay(attempt, settings.maxReconnectDelayMs),
      })
    : new Redis(settings.url, merged);
  return log.attach(client);
}

/** Whether `closing` succeeded within `ms` (false when it failed or took longer). */
export function settlesWithin(closing: Promise<unknown>, ms: number): Promise<boolean> {
  const closed = closing.then(
    () => true,
    () => false,
  );
  const timeout = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref());
  return Promise.race([closed, timeout]);
}

/**
 * Closes connections: QUIT, bounded by `timeoutMs`, then drop the socket. A paused or dead Redis
 * never holds a shutdown longer than that.
 */
export async function closeRedisClients(
  clients: Iterable<RedisClient>,
  timeoutMs = REDIS_QUIT_TIMEOUT_MS,
): Promise<void> {
  await Promise.all(
    [...clients].map(async (client) => {
      if (client.status === 'end') {
        return;
      }
      if (client.status !== 'ready' || !(await settlesWithin(client.quit(), timeoutMs))) {
        client.disconnect();
      }
    }),
  );
}
