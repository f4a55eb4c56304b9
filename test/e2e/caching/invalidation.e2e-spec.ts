import { performance } from 'node:perf_hooks';
import type Redis from 'ioredis';
import { ResponseCacheService } from '../../../src/caching';
import { CacheEntry, encodeEntry, etagOf } from '../../../src/caching/engine/cache-entry';
import { CachingApp, createCachingApp, testKeyPrefix } from '../../fixtures/caching/caching-app';
import { timeUntil } from '../../fixtures/caching/load';
import { inspector, percentile, scanKeys } from '../../fixtures/caching/redis-keys';
import { RedisServer } from '../../fixtures/caching/redis-server';

const POLICY = { compress: false, compressionThreshold: 0, lock: false };

/** Counts the cache's Redis round trips (guarded calls) and commands while `fn` runs. */
async function countRedis(t: CachingApp, fn: () => Promise<unknown>) {
  const guard = jest.spyOn(t.l2 as unknown as { guard: () => Promise<unknown> }, 'guard');
  const sends = t.clients.map((client) => jest.spyOn(client, 'sendCommand'));
  try {
    await fn();
    const commands = sends.flatMap((spy) => spy.mock.calls.map(([command]) => command.name));
    return { roundTrips: guard.mock.calls.length, commands };
  } finally {
    guard.mockRestore();
    sends.forEach((spy) => spy.mockRestore());
  }
}

/** Writes `count` entries tagged `tag` (version 0) straight into Redis, 10,000 per pipeline. */
async function seedTagged(redis: Redis, root: string, tag: string, count: number) {
  const body = Buffer.from(JSON.stringify({ tag }));
  const entry: CacheEntry = {
    body,
    status: 200,
    contentType: 'application/json; charset=utf-8',
    etag: etagOf(body),
    createdAt: Date.now(),
    ttlMs: 600_000,
    swrMs: 0,
    graceMs: 0,
    tags: { [tag]: 0 },
  };
  const encoded = encodeEntry(entry, false, 0);
  const keys = Array.from({ length: count }, (_, index) => `${root}:${tag}:pub:${index}`);
  for (let start = 0; start < count; start += 10_000) {
    const pipeline = redis.pipeline();
    keys.slice(start, start + 10_000).forEach((key) => pipeline.set(key, encoded, 'PX', 600_000));
    await pipeline.exec();
  }
  return keys;
}

describe(`${ResponseCacheService.name} invalidation (e2e)`, () => {
  const server = new RedisServer();
  const keyPrefix = testKeyPrefix('invalidation');
  const root = `${keyPrefix}:cache`;
  let a: CachingApp;
  let b: CachingApp;
  let redis: Redis;

  beforeAll(async () => {
    await server.start();
    const env = { REDIS__URL: server.url, REDIS__KEY_PREFIX: keyPrefix };
    [a, b] = [await createCachingApp(env), await createCachingApp(env)];
    redis = inspector(server.url);
    const channel = `${root}-meta:bus`;
    await timeUntil(
      async () => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1]) === 2,
      5000,
    );
  });

  afterAll(async () => {
    redis.disconnect();
    await Promise.all([a?.close(), b?.close()]);
    await server.stop();
  });

  it('should make instance B miss within 50 ms p99 after an invalidation on instance A', async () => {
    const latencies: number[] = [];
    // 200 rounds so the p99 is a p99: with 60 it was the maximum, and one hiccup of a loaded
    // machine (68 ms while other test runs shared the two cores) failed the run.
    for (let round = 0; round < 200; round++) {
      const id = `bus-${round}`;
      const url = `/scenario/items/${id}`;
      await b.get(url);
      const warm = await b.get(url);
      expect(warm.xCache).toBe('HIT');
      const key = b.policy.key(
        { route: '/scenario/items/:id', params: { id }, query: {}, headers: {} },
        b.policy.resolve({ scope: 'public' }),
        new Set(),
      ).key;
      const invalidations = [
        () => a.cache.invalidateTags([`item:${id}`]),
        () => a.cache.invalidateByEvent('item_changed'),
        () => a.cache.invalidateKey(key),
        () => a.request('POST', url),
      ];

      const started = performance.now();
      await invalidations[round % invalidations.length]();
      let answer = await b.get(url);
      while (answer.xCache === 'HIT' && performance.now() - started < 1000) {
        await new Promise((resolve) => setImmediate(resolve));
        answer = await b.get(url);
      }
      latencies.push(performance.now() - started);
      expect(answer.xCache).toBe('MISS');
    }
    const p99 = percentile(latencies, 99);
    console.info(
      `invalidation A -> B: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
    );

    expect(p99).toBeLessThanOrEqual(50);
  });

  it('should invalidate a tag in the same Redis round trips for 10 and for 100,000 entries', async () => {
    const small = await seedTagged(redis, root, 'tag10', 10);
    const large = await seedTagged(redis, root, 'tag100k', 100_000);
    const load = jest.fn(() => Promise.resolve({}));
    const sample = [small[3], large[0], large[54_321], large[99_999]];
    const outcomes = async () =>
      Promise.all(
        sample.map(async (key) => {
          const tag = key.startsWith(`${root}:tag10:`) ? 'tag10' : 'tag100k';
          return (await a.engine.getOrLoad(key, [tag], POLICY, load)).outcome;
        }),
      );
    expect(await outcomes()).toEqual(['HIT', 'HIT', 'HIT', 'HIT']);
    expect(load).not.toHaveBeenCalled();

    const ten = await countRedis(a, () => a.cache.invalidateTags(['tag10']));
    const hundredThousand = await countRedis(a, () => a.cache.invalidateTags(['tag100k']));
    console.info(
      `tag invalidation: 10 entries ${ten.roundTrips} round trips [${ten.commands.join(',')}], 100,000 entries ${hundredThousand.roundTrips} [${hundredThousand.commands.join(',')}]`,
    );

    expect(hundredThousand).toEqual(ten);
    expect(ten.roundTrips).toBeLessThanOrEqual(2);
    // Every sampled entry is gone: the handler (a loader producing nothing storable) runs.
    expect(await outcomes()).toEqual(['BYPASS', 'BYPASS', 'BYPASS', 'BYPASS']);
    expect(load).toHaveBeenCalledTimes(4);
  });

  it('should delete only keys of the cache namespace on deletePattern, with SCAN + UNLINK', async () => {
    const inside = [`${root}:agents_list:pub:a`, `${root}:agents:pub:b`];
    const outside = [
      `${root}:templates:pub:c`,
      `${root}-meta:tag:agents`,
      `${keyPrefix}:agents_other`,
      `${keyPrefix}:app:agents`,
      'agents_foreign',
      'bull:foo',
    ];
    await redis.mset(...[...inside, ...outside].flatMap((key) => [key, 'x']));

    const { commands } = await countRedis(a, async () =>
      expect(await a.cache.deletePattern('agents*')).toBe(2),
    );

    expect(await redis.exists(...inside)).toBe(0);
    expect(await redis.exists(...outside)).toBe(outside.length);
    expect(new Set(commands)).toEqual(new Set(['scan', 'unlink', 'publish']));
    await redis.unlink(...outside);
    expect(await scanKeys(redis, 'bull:*')).toEqual([]);
  });

  it("should send a write's invalidation once Redis is back, so the other instance stops serving the old entry", async () => {
    const url = '/scenario/items/during-outage';
    await b.get(url);
    expect((await b.get(url)).xCache).toBe('HIT');

    // Redis answers nothing: A's lookups time out until its breaker opens, and the write's
    // invalidation (tag version bump and bus message) is refused without reaching Redis.
    server.pause();
    try {
      for (let cold = 0; cold < 10 && a.cache.getStats().redis_breaker !== 'open'; cold++) {
        await a.get(`/scenario/items/cold-${cold}`);
      }
      expect(a.cache.getStats().redis_breaker).toBe('open');
      expect((await a.request('POST', url)).status).toBe(201);
      // Its tag and its event's tag.
      expect(a.cache.getStats().invalidations_pending).toBe(2);
    } finally {
      server.resume();
    }
    const runsBefore = b.calls.of('items:during-outage');

    // B kept its connections (a pause drops none), so nothing but the retried invalidation tells
    // it that its copy, and Redis's, are stale.
    const fresh = await timeUntil(async () => (await b.get(url)).xCache === 'MISS', 15_000);

    expect(fresh).toBeLessThan(15_000);
    expect(b.calls.of('items:during-outage')).toBe(runsBefore + 1);
    expect(a.cache.getStats().invalidations_pending).toBe(0);
  });
});
