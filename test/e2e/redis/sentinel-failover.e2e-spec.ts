import type { INestApplicationContext } from '@nestjs/common';
import Redis from 'ioredis';
import type { JobQueue } from '../../../src/queues';
import { REDIS_CLIENT } from '../../../src/redis';
import {
  CachingApp,
  createCachingApp,
  servedFromRedis,
  testKeyPrefix,
} from '../../fixtures/caching/caching-app';
import { timeUntil } from '../../fixtures/caching/load';
import { SLEEP_TASK, startFixtureQueueApp } from '../../fixtures/queues/fixture-queue.module';
import { SENTINEL_NAME, SentinelSet } from '../../fixtures/redis/sentinel-set';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Failover (1 s down-after + election) plus the clients' reconnect backoff (capped at 2 s). */
const RECOVERY_MS = 20_000;

/** Keys under `prefix` on the Redis at `port`. */
async function keysOn(port: number, prefix: string): Promise<string[]> {
  const redis = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  try {
    return await redis.keys(`${prefix}*`);
  } finally {
    redis.disconnect();
  }
}

describe('Redis Sentinel: the cache and the queues follow a failover without a restart (e2e)', () => {
  const set = new SentinelSet();
  let cacheApp: CachingApp;
  let queueApp: INestApplicationContext;
  let queue: JobQueue;
  const prefix = testKeyPrefix('sentinel');

  /** REDIS__* of sentinel mode; the URL's host is deliberately unreachable: only sentinels count. */
  const sentinelEnv = () => ({
    REDIS__MODE: 'sentinel',
    REDIS__SENTINELS: set.sentinels,
    REDIS__SENTINEL_NAME: SENTINEL_NAME,
    REDIS__URL: 'redis://127.0.0.1:1',
    REDIS__KEY_PREFIX: prefix,
  });

  /**
   * A new task's state once it completed, or the last state seen when it did not in time: a red
   * run then says where the task stopped (waiting: no worker took it; active: taken, not finished).
   */
  async function taskState(): Promise<string | undefined> {
    const id = await queue.enqueue(SLEEP_TASK, { ms: 1 });
    // Bull's blocking connection reconnects to the new primary on its own backoff: 10 s was
    // short once on a loaded CI run (2e9a8d4), and 20 s once more (ba2e7cc). A job taken by a
    // BRPOPLPUSH whose reply was lost in the failover is moved back by the stalled-job check
    // (QUEUES__STALLED_INTERVAL_MS, 5 s) once its lock is found missing; 40 s covers both.
    const deadline = Date.now() + 40_000;
    let state: string | undefined;
    while (Date.now() < deadline) {
      const info = await queue.get(id);
      state = info?.state;
      if (state === 'completed') {
        return state;
      }
      if (state === 'failed') {
        // Say why: a red run then tells a handler's Redis error from a job stalled twice.
        return `failed after ${info?.attempts} of ${info?.maxAttempts} attempts: ${info?.error}`;
      }
      await sleep(50);
    }
    return state;
  }

  /**
   * Ms until the queue app's own Redis client (the one task handlers write with) takes a write
   * again. It fails fast while reconnecting (no offline queue) and reconnects on its own backoff,
   * independently of the cache app's client and of Bull's connections: a task run before then
   * spends its attempts on `Stream isn't writeable`.
   */
  async function queueAppRedisBack(): Promise<number> {
    const redis = queueApp.get<Redis>(REDIS_CLIENT);
    return timeUntil(
      () =>
        redis.set(`${prefix}:failover-probe`, '1').then(
          () => true,
          () => false,
        ),
      RECOVERY_MS,
      50,
    );
  }

  beforeAll(async () => {
    await set.start();
    cacheApp = await createCachingApp(sentinelEnv());
    ({ app: queueApp, queue } = await startFixtureQueueApp(sentinelEnv()));
  }, 60_000);

  afterAll(async () => {
    await cacheApp?.close();
    await queueApp?.close();
    await set.stop();
  }, 30_000);

  it('should find the primary through the sentinel, serve hits from it and run tasks', async () => {
    expect(await servedFromRedis(cacheApp, 'before')).toBe(true);
    expect((await keysOn(set.primary.port, prefix)).length).toBeGreaterThan(0);
    expect(await taskState()).toBe('completed');
  });

  it('should answer every request during the failover and resume Redis and queues on the new primary', async () => {
    const statuses: number[] = [];
    let loading = true;
    const load = (async () => {
      for (let i = 0; loading; i++) {
        statuses.push((await cacheApp.get(`/scenario/items/load-${i % 20}`)).status);
        await sleep(10);
      }
    })();

    const failoverMs = await set.failover();
    const resumedMs = Math.round(
      await timeUntil(
        () => servedFromRedis(cacheApp, `after-${Date.now()}`).catch(() => false),
        RECOVERY_MS,
        50,
      ),
    );
    loading = false;
    await load;
    process.stdout.write(
      `sentinel failover: promoted in ${failoverMs} ms; cache back on Redis ${resumedMs} ms later; ${statuses.length} requests meanwhile\n`,
    );

    expect(resumedMs).toBeLessThan(RECOVERY_MS);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    // The old primary is gone: the entries and the tasks now live on the promoted replica.
    expect(await set.primaryPort()).toBe(set.replica!.port);
    expect((await keysOn(set.replica!.port, prefix)).length).toBeGreaterThan(0);
    expect(await queueAppRedisBack()).toBeLessThan(RECOVERY_MS);
    expect(await taskState()).toBe('completed');
  }, 90_000);
});
