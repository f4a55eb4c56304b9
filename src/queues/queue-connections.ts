import { Logger } from '@nestjs/common';
import {
  closeRedisClients,
  createRedisClient,
  RedisErrorLog,
  type RedisConnectionSettings,
  type RedisClient,
} from '../redis';

/** Bull's connection roles: commands, pub/sub, and one blocking connection per worker queue. */
export type ConnectionType = 'client' | 'subscriber' | 'bclient';

/** The queues' connection settings: the `redis` namespace (its queue command timeout is used). */
export type QueueRedisSettings = Omit<RedisConnectionSettings, 'commandTimeoutMs'> & {
  queueCommandTimeoutMs: number;
};

/**
 * The one Redis connection set of a process for every Bull queue (Bull's `createClient`):
 * all queues share one command client and one subscriber; each processing queue adds its own
 * blocking client (Bull needs it for BRPOPLPUSH). A queue per request, which opened thousands
 * of connections (OptimalBits/bull#1453), cannot happen. Closed once at shutdown.
 *
 * Built by the Redis factory: every command of the command client is bounded by
 * `REDIS__QUEUE_COMMAND_TIMEOUT_MS`, so an enqueue or a task lookup while Redis is down or paused
 * fails within it (503) instead of waiting; the blocking client has no command timeout.
 */
export class QueueConnections {
  private client?: RedisClient;
  private subscriber?: RedisClient;
  private readonly blocking = new Set<RedisClient>();
  private readonly settings: RedisConnectionSettings;
  private readonly log = new RedisErrorLog('Queue', new Logger('QueueConnections'));

  /** `settings`: the `redis` config namespace. */
  constructor(
    settings: QueueRedisSettings & Pick<RedisConnectionSettings, 'url' | 'sentinel' | 'cluster'>,
  ) {
    this.settings = {
      url: settings.url,
      sentinel: settings.sentinel,
      cluster: settings.cluster,
      commandTimeoutMs: settings.queueCommandTimeoutMs,
      connectTimeoutMs: settings.connectTimeoutMs,
      maxReconnectDelayMs: settings.maxReconnectDelayMs,
    };
  }

  /** Bull's `createClient(type)`. */
  create(type: ConnectionType): RedisClient {
    if (type === 'client') {
      // Bull sends its first commands before the socket is up, and a command lost to a dropped
      // connection is better sent again after the reconnect: both wait in the offline queue,
      // where the command timeout still bounds them.
      return (this.client ??= createRedisClient('command', this.settings, this.log, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: true,
      }));
    }
    if (type === 'subscriber') {
      return (this.subscriber ??= createRedisClient('subscriber', this.settings, this.log));
    }
    const blocking = createRedisClient('blocking', this.settings, this.log);
    this.blocking.add(blocking);
    return blocking;
  }

  /** Connections currently open, for the `queues` stats. */
  count(): number {
    return [this.client, this.subscriber].filter(Boolean).length + this.blocking.size;
  }

  /** Quits every connection (blocking ones are disconnected: they may be inside a BRPOPLPUSH). */
  async close(): Promise<void> {
    for (const blocking of this.blocking) {
      blocking.disconnect();
    }
    this.blocking.clear();
    await closeRedisClients(
      [this.client, this.subscriber].filter(
        (client): client is RedisClient => client !== undefined,
      ),
    );
  }
}
