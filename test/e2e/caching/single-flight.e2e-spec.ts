import type Redis from 'ioredis';
import { CachingApp, createCachingApp, testKeyPrefix } from '../../fixtures/caching/caching-app';
import { dropKeysAndDisconnect, inspector, scanKeys } from '../../fixtures/caching/redis-keys';

describe('CacheEngine single-flight (e2e)', () => {
  const keyPrefix = testKeyPrefix('flight');
  const apps: CachingApp[] = [];
  let redis: Redis;

  beforeAll(async () => {
    redis = inspector(process.env.REDIS__URL ?? 'redis://127.0.0.1:6379');
    // The lock needs Redis: a generous timeout keeps a CPU-starved CI box (parallel test workers)
    // from timing Redis out, which would rightly fall back to running the handler per instance.
    const env = { REDIS__KEY_PREFIX: keyPrefix, CACHING__REDIS_TIMEOUT_MS: '1000' };
    apps.push(await createCachingApp(env));
    apps.push(await createCachingApp(env));
  });

  afterAll(async () => {
    await dropKeysAndDisconnect(redis, keyPrefix);
    await Promise.all(apps.map((app) => app.close()));
  });

  it('should run the handler once for 200 concurrent requests on a cold key', async () => {
    const [a] = apps;

    const answers = await Promise.all(
      Array.from({ length: 200 }, () => a.get('/scenario/slow/cold')),
    );
    const next = await a.get('/scenario/slow/cold');

    expect(a.calls.of('slow:cold')).toBe(1);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(200);
    expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
    expect(answers.filter((answer) => answer.xCache === 'MISS')).toHaveLength(1);
    expect([next.xCache, next.body]).toEqual(['HIT', answers[0].body]);
  });

  it('should run the handler once in total across two instances sharing Redis with the lock', async () => {
    const [a, b] = apps;

    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) => (index % 2 ? b : a).get('/scenario/locked/fleet')),
    );

    expect(a.calls.of('locked:fleet') + b.calls.of('locked:fleet')).toBe(1);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(200);
    expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
    const [nextA, nextB] = [
      await a.get('/scenario/locked/fleet'),
      await b.get('/scenario/locked/fleet'),
    ];
    expect([nextA.xCache, nextB.xCache]).toEqual(['HIT', 'HIT']);
    expect(await scanKeys(redis, `${keyPrefix}:cache-meta:lock:*`)).toEqual([]);
  });

  it('should let 200 requests arriving over the load window run the handler once', async () => {
    const [a] = apps;
    const answers = [];
    // Requests keep arriving while the handler runs and right after it finished.
    for (let wave = 0; wave < 10; wave++) {
      answers.push(...Array.from({ length: 20 }, () => a.get('/scenario/slow/waves')));
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const settled = await Promise.all(answers);

    expect(a.calls.of('slow:waves')).toBe(1);
    expect(new Set(settled.map((answer) => answer.body)).size).toBe(1);
  });
});
