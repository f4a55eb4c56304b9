import type { RedisClient } from '../../redis';
import { Breaker } from './breaker';
import { CacheStats } from './cache-stats';
import { Deadlines } from './deadlines';
import { L2Unavailable } from './l2-unavailable.error';

/** The app's shared Redis failure hint (`RedisOutage`): the cache reports what it sees. */
export interface OutageSignal {
  report(): void;
  recovered(): void;
}

/**
 * How the cache calls Redis: every call is bounded by the timeout and guarded by the breaker, so a
 * dead or paused Redis costs a request at most one timeout, and nothing once the breaker is open.
 * Commands are spread round-robin over `REDIS__POOL_SIZE` connections. {@link RedisL2} adds the
 * commands.
 */
export abstract class GuardedRedis {
  private next = 0;
  private rotationScheduled = false;
  private readonly deadlines: Deadlines;

  constructor(
    private readonly clients: RedisClient[],
    timeoutMs: number,
    readonly breaker: Breaker,
    private readonly stats: CacheStats,
    private readonly outage?: OutageSignal,
  ) {
    this.deadlines = new Deadlines(timeoutMs);
  }

  /**
   * The connection for this event-loop turn. Commands of one turn share a connection so
   * auto-pipelining sends them in one write; the next turn moves to the next connection.
   */
  protected pick(): RedisClient {
    if (!this.rotationScheduled && this.clients.length > 1) {
      this.rotationScheduled = true;
      setImmediate(() => {
        this.next = (this.next + 1) % this.clients.length;
        this.rotationScheduled = false;
      });
    }
    return this.clients[this.next];
  }

  protected guard<T>(operation: (client: RedisClient) => Promise<T>): Promise<T> {
    let client = this.pick();
    if (client.status !== 'ready') {
      // One connection of the pool still opening (or reopening) fails nothing another can do.
      client = this.clients.find((other) => other.status === 'ready') ?? client;
    }
    return this.guarded(client.status === 'ready' ? undefined : client.status, () =>
      operation(client),
    );
  }

  /** Runs `operation` under the breaker and the timeout; `notReady` names a connection that is down. */
  protected guarded<T>(notReady: string | undefined, operation: () => Promise<T>): Promise<T> {
    // Checked before the breaker: a half-open breaker admits one probe and must see its outcome,
    // so a call that cannot even be sent must not take the probe.
    if (notReady !== undefined) {
      // Not connected (Redis down, or still connecting): fail at once, no timeout to wait for.
      this.stats.redisErrors++;
      return Promise.reject(new L2Unavailable(`cache Redis ${notReady}`));
    }
    if (!this.breaker.allow()) {
      return Promise.reject(new L2Unavailable('cache Redis breaker is open'));
    }
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const fail = (error: L2Unavailable, timeout: boolean): void => {
        settled = true;
        this.breaker.failure();
        this.outage?.report();
        if (timeout) {
          this.stats.redisTimeouts++;
        } else {
          this.stats.redisErrors++;
        }
        reject(error);
      };
      const deadline = this.deadlines.add(() => {
        if (!settled) {
          fail(new L2Unavailable('cache Redis timed out'), true);
        }
      });
      operation().then(
        (result) => {
          if (!settled) {
            settled = true;
            this.deadlines.settle(deadline);
            this.breaker.success();
            this.outage?.recovered();
            resolve(result);
          }
        },
        (error: Error) => {
          if (!settled) {
            this.deadlines.settle(deadline);
            fail(error instanceof L2Unavailable ? error : new L2Unavailable(error.message), false);
          }
        },
      );
    });
  }
}
