import { Logger } from '@nestjs/common';
import Redis, { RedisOptions } from 'ioredis';

/** Bull's connection roles: commands, pub/sub, and one blocking connection per worker queue. */
export type ConnectionType = 'client' | 'subscriber' | 'bclient';

const logger = new Logger('QueueConnections');
const MAX_RECONNECT_DELAY_MS = 2000;

/**
 * The one Redis connection set of a process for every Bull queue (Bull's `createClient`):
 * all queues share one command client and one subscriber; each processing queue adds its own
 * blocking client (Bull needs it for BRPOPLPUSH). A queue per request, which opened thousands
 * of connections (OptimalBits/bull#1453), cannot happen. Closed once at shutdown.
 */
export class QueueConnections {
  private client?: Redis;
  private subscriber?: Redis;
  private readonly blocking = new Set<Redis>();
  private failing = false;

  constructor(private readonly url: string) {}

  /** Bull's `createClient(type)`. */
  create(type: ConnectionType): Redis {
    if (type === 'client') {
      // Fail a command after one reconnect instead of waiting for Redis forever.
      return (this.client ??= this.open({ maxRetriesPerRequest: 1 }));
    }
    // Bull refuses ready checks and per-request retries on these two (MISSING_REDIS_OPTS).
    const options = { maxRetriesPerRequest: null, enableReadyCheck: false };
    if (type === 'subscriber') {
      return (this.subscriber ??= this.open(options));
    }
    const blocking = this.open(options);
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
    const open = [this.client, this.subscriber].filter(
      (client): client is Redis => client !== undefined && client.status !== 'end',
    );
    await Promise.all(
      open.map((client) =>
        client.quit().then(
          () => undefined,
          () => client.disconnect(),
        ),
      ),
    );
  }

  private open(options: RedisOptions): Redis {
    const client = new Redis(this.url, {
      ...options,
      retryStrategy: (attempt) => Math.min(attempt * 200, MAX_RECONNECT_DELAY_MS),
    });
    // Logged once per outage, by error code only (the URL may hold a password).
    client.on('error', (error: Error & { code?: string }) => {
      if (!this.failing) {
        logger.warn(`Queue Redis unavailable (${error.code ?? error.name}); reconnecting`);
      }
      this.failing = true;
    });
    client.on('ready', () => {
      if (this.failing) {
        logger.log('Queue Redis connection restored');
      }
      this.failing = false;
    });
    return client;
  }
}
