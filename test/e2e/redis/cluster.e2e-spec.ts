import type { INestApplicationContext } from '@nestjs/common';
import type { Cluster } from 'ioredis';
import { performance } from 'node:perf_hooks';
import type { JobQueue } from '../../../src/queues';
import { FleetCounter } from '../../../src/rate-limit/fleet-counter';
import { rateLimitKeyPrefix } from '../../../src/rate-limit/rate-limit.constants';
import { closeRedisClients, createRedisClient, keySlot, RedisErrorLog } from '../../../src/redis';
import {
  CachingApp,
  createCachingApp,
  servedFromRedis,
  testKeyPrefix,
} from '../../fixtures/caching/caching-app';
import { timeUntil } from '../../fixtures/caching/load';
import {
  FIXTURE_QUEUE,
  SLEEP_TASK,
  startFixtureQueueApp,
} from '../../fixtures/queues/fixture-queue.module';
import { RedisClusterSet } from '../../fixtures/redis/redis-cluster-set';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Failover (1 s node timeout + election) plus the clients' slot refresh and backoff (2 s cap). */
const RECOVERY_MS = 20_000;
/** Requests per second on cached routes while the primary fails over. */
const RATE = 200;
/** Tasks enqueued around the failover (the 1,000 runs with CLUSTER_FAILOVER_TASKS=1000). */
const TASKS = Number(process.env.CLUSTER_FAILOVER_TASKS ?? 300);

describe('Redis Cluster: cache, invalidation and queues, through a primary failover (e2e)', () => {
  const set = new RedisClusterSet(1000);
  let a: CachingApp;
  let b: CachingApp;
  let queueApp: INestApplicationContext;
  let queue: JobQueue;
  const prefix = testKeyPrefix('cluster');
  /** The queue's Bull prefix: its own hash tag. */
  const bullPrefix = `${prefix}:bull:{${prefix}:${FIXTURE_QUEUE}}`;

  /** REDIS__* of cluster mode; the URL's host is deliberately unreachable: only the seeds count. */
  const clusterEnv = () => ({
    REDIS__MODE: 'cluster',
    REDIS__CLUSTER_NODES: set.seeds,
    REDIS__URL: 'redis://127.0.0.1:1',
    REDIS__KEY_PREFIX: prefix,
  });

  async function waitForTasks(ids: string[], timeoutMs: number): Promise<Map<string, string>> {
    const states = new Map<string, string>();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const id of ids) {
        if (states.get(id) !== 'completed') {
          const state = (await queue.get(id).catch(() => undefined))?.state;
          states.set(id, state ?? 'missing');
        }
      }
      if ([...states.values()].every((state) => state === 'completed')) {
        break;
      }
      await sleep(200);
    }
    return states;
  }

  /** A factory `command` connection to the cluster, seeded with node `seed` only (not connected). */
  const commandClient = (seed: number) =>
    createRedisClient(
      'command',
      {
        url: 'redis://127.0.0.1:1',
        commandTimeoutMs: 500,
        connectTimeoutMs: 1000,
        maxReconnectDelayMs: 2000,
        cluster: { nodes: [{ host: '127.0.0.1', port: set.nodes[seed].port }] },
      },
      new RedisErrorLog('Test', { log: jest.fn(), warn: jest.fn() }),
      { lazyConnect: true },
    );

  /** The entry key of `/scenario/items/:id` as instance `t` builds it. */
  const itemKey = (t: CachingApp, id: string) =>
    t.policy.key(
      { route: '/scenario/items/:id', params: { id }, query: {}, headers: {} },
      t.policy.resolve({ scope: 'public' }),
      new Set(),
    ).key;

  /** True once B answers `url` with a miss (its L1 copy and the Redis entry are gone). */
  const missesOnB = (url: string) =>
    timeUntil(async () => (await b.get(url)).xCache === 'MISS', 5000, 20);

  beforeAll(async () => {
    await set.start();
    [a, b] = [await createCachingApp(clusterEnv()), await createCachingApp(clusterEnv())];
    ({ app: queueApp, queue } = await startFixtureQueueApp({
      ...clusterEnv(),
      PERFORMANCE__ASYNC_WORKER_COUNT: '8',
    }));
    // Both instances listen on the bus (sharded pub/sub) before the invalidation tests.
    const channel = `${prefix}:cache-meta:bus`;
    await timeUntil(async () => (await set.shardSubscribers(channel)) === 2, 10_000);
  }, 90_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await queueApp?.close();
    await set.stop();
  }, 30_000);

  it('should serve hits from the cluster, entries spread over the primaries, tag versions on one slot', async () => {
    expect(
      await timeUntil(() => servedFromRedis(a, `before-${Date.now()}`), 10_000, 50),
    ).toBeLessThan(10_000);
    for (let index = 0; index < 30; index++) {
      expect((await a.get(`/scenario/items/spread-${index}`)).status).toBe(200);
    }

    const entries = await set.keys(`${prefix}:cache:*`);
    const owners = new Set(await Promise.all(entries.map((key) => set.primaryOf(key))));
    const tagKeys = await set.keys(`${prefix}:cache-meta:tag:*`);

    expect(entries.length).toBeGreaterThanOrEqual(31);
    expect(owners.size).toBeGreaterThanOrEqual(2);
    expect(tagKeys.length).toBe(0); // versions are created by the first invalidation
    await a.cache.invalidateTags(['items', 'item:spread-1']);
    const bumped = await set.keys(`${prefix}:cache-meta:tag:*`);
    expect(bumped.sort()).toEqual([
      `${prefix}:cache-meta:tag:{${prefix}:tags}:item:spread-1`,
      `${prefix}:cache-meta:tag:{${prefix}:tags}:items`,
    ]);
    expect(new Set(bumped.map(keySlot)).size).toBe(1);
    // The lookup reads the entry and its tag versions from two slots and still sees a hit.
    expect(await servedFromRedis(a, 'after-tags')).toBe(true);
  });

  it('should invalidate by key, tag and pattern across two instances', async () => {
    // B caches the entry (L1 at once, Redis in the background: an invalidation racing that
    // write would leave the entry in Redis, on any topology), then serves it from L1.
    const warm = async (id: string) => {
      await b.get(`/scenario/items/${id}`);
      const stored = async () => (await set.keys(itemKey(b, id))).length === 1;
      expect(await timeUntil(stored, 5000, 10)).toBeLessThan(5000);
      expect((await b.get(`/scenario/items/${id}`)).xCache).toBe('HIT');
    };

    await warm('by-key');
    await a.cache.invalidateKey(itemKey(a, 'by-key'));
    expect(await missesOnB('/scenario/items/by-key')).toBeLessThan(5000);

    await warm('by-tag');
    await a.cache.invalidateTags(['item:by-tag']);
    expect(await missesOnB('/scenario/items/by-tag')).toBeLessThan(5000);

    await warm('by-pattern');
    const before = await set.keys(`${prefix}:cache:*`);
    const owners = new Set(await Promise.all(before.map((key) => set.primaryOf(key))));
    expect(owners.size).toBeGreaterThanOrEqual(2);
    // Every primary is scanned: all entries go, wherever their slot is; tag versions stay.
    expect(await a.cache.deletePattern('*')).toBe(before.length);
    expect(await set.keys(`${prefix}:cache:*`)).toEqual([]);
    expect((await set.keys(`${prefix}:cache-meta:tag:*`)).length).toBeGreaterThan(0);
    expect(await missesOnB('/scenario/items/by-pattern')).toBeLessThan(5000);
  });

  it("should run tasks with every key of the queue under the queue's own hash tag", async () => {
    const id = await queue.enqueue(SLEEP_TASK, { ms: 1 });
    expect((await waitForTasks([id], 10_000)).get(id)).toBe('completed');

    const queueKeys = await set.keys(`${prefix}:bull*`);
    expect(queueKeys.length).toBeGreaterThan(0);
    expect(queueKeys.every((key) => key.startsWith(`${bullPrefix}:${FIXTURE_QUEUE}:`))).toBe(true);
    expect(new Set(queueKeys.map(keySlot)).size).toBe(1);
  });

  it("should open every primary's connection at connect, before a command needs it", async () => {
    const client = commandClient(2);
    try {
      await client.connect();
      const primaries = () => (client as Cluster).nodes('master');
      const allReady = () => Promise.resolve(primaries().every((node) => node.status === 'ready'));

      expect(await timeUntil(allReady, 5000, 10)).toBeLessThan(5000);
      expect(primaries()).toHaveLength(3);
      // Replicas serve no reads: their connections stay closed.
      expect((client as Cluster).nodes('slave').map((node) => node.status)).not.toContain('ready');
    } finally {
      await closeRedisClients([client]);
    }
  });

  it("should sync the rate limiter's counters in one pipeline on the cluster (and fail without the hash tag)", async () => {
    const client = commandClient(1);
    try {
      await client.connect();
      const policy = { id: 'all', limit: 100, windowMs: 60_000 };
      const tagged = new FleetCounter(client, rateLimitKeyPrefix(prefix, true));
      const untagged = new FleetCounter(client, rateLimitKeyPrefix(prefix, false));
      for (let subject = 0; subject < 20; subject++) {
        tagged.hit(policy, `user-${subject}`);
        untagged.hit(policy, `user-${subject}`);
      }

      await tagged.sync();
      await untagged.sync();

      expect(tagged.stats).toMatchObject({ degraded: false, syncFailures: 0 });
      expect(await set.keys(`${prefix}:rl:{${prefix}:rl}:*`)).toHaveLength(20);
      // Twenty counters without a shared tag span several slots: a cluster refuses the pipeline.
      expect(untagged.stats).toMatchObject({ degraded: true, syncFailures: 1 });
    } finally {
      await closeRedisClients([client]);
    }
  });

  it('should answer every request while a primary fails over, then resume the cache and the queue, losing no task', async () => {
    // The primary that holds the queue: the failover hits the queue and part of the cache.
    const victim = await set.primaryOf(`${bullPrefix}:${FIXTURE_QUEUE}:id`);
    const statuses: number[] = [];
    const pending: Array<Promise<void>> = [];
    let loading = true;
    let sent = 0;
    const loadStarted = performance.now();
    const load = (async () => {
      // Open loop at RATE: a slow answer does not slow the arrivals down.
      while (loading) {
        const due = loadStarted + (sent * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) {
          await sleep(wait);
        }
        const url = `/scenario/items/load-${sent % 50}`;
        sent++;
        pending.push(
          a.get(url).then(
            (answer) => void statuses.push(answer.status),
            () => void statuses.push(0),
          ),
        );
      }
    })();

    const accepted: string[] = [];
    let refused = 0;
    let lastRefusedAt = 0;
    let killedAt = 0;
    const enqueue = (async () => {
      const deadline = Date.now() + 120_000;
      while (accepted.length < TASKS && Date.now() < deadline) {
        try {
          accepted.push(await queue.enqueue(SLEEP_TASK, { ms: 5 }));
        } catch {
          // Refused (503 to a client, which retries): not enqueued, tried again.
          refused++;
          lastRefusedAt = performance.now();
          await sleep(100);
          continue;
        }
        await sleep(10);
      }
    })();

    await timeUntil(() => Promise.resolve(accepted.length >= TASKS / 3), 30_000, 20);
    killedAt = performance.now();
    const failoverMs = await set.killPrimary(victim, 2 * RECOVERY_MS);
    const cacheBackMs = Math.round(
      await timeUntil(
        () => servedFromRedis(a, `after-${Date.now()}`).catch(() => false),
        RECOVERY_MS,
        50,
      ),
    );
    await enqueue;
    await sleep(500);
    loading = false;
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    await load;
    await Promise.all(pending);
    const states = await waitForTasks(accepted, 60_000);
    const completed = [...states.values()].filter((state) => state === 'completed').length;
    const degradedMs = Math.round(
      Math.max(failoverMs + cacheBackMs, lastRefusedAt > killedAt ? lastRefusedAt - killedAt : 0),
    );
    process.stdout.write(
      `cluster failover: replica promoted in ${failoverMs} ms; cache back on Redis ${cacheBackMs} ms later; ` +
        `degraded window ${degradedMs} ms; ${statuses.length} requests (${Math.round(statuses.length / loadSeconds)}/s), ` +
        `${statuses.filter((status) => status >= 500 || status === 0).length} 5xx; ` +
        `${completed}/${accepted.length} tasks completed, ${refused} enqueue attempts refused meanwhile\n`,
    );

    expect(failoverMs).toBeLessThan(RECOVERY_MS);
    expect(cacheBackMs).toBeLessThan(RECOVERY_MS);
    expect(statuses.length).toBeGreaterThan(RATE);
    expect(statuses.filter((status) => status !== 200)).toEqual([]);
    expect(accepted.length).toBe(TASKS);
    expect(new Set(accepted).size).toBe(TASKS);
    expect([...states.entries()].filter(([, state]) => state !== 'completed')).toEqual([]);
    // The killed primary's slots moved: the queue now lives on its promoted replica.
    expect(await set.primaryOf(`${bullPrefix}:${FIXTURE_QUEUE}:id`)).not.toBe(victim);
  }, 180_000);
});
