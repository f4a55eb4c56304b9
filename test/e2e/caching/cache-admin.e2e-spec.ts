import { CACHE_MANAGER, Cache } from '@nestjs/cache-manager';
import type Redis from 'ioredis';
import { CachingModule } from '../../../src/caching';
import { CachingApp, createCachingApp, testKeyPrefix } from '../../fixtures/caching/caching-app';
import { inspector, scanKeys, waitForEntryKeys } from '../../fixtures/caching/redis-keys';
import { RedisServer } from '../../fixtures/caching/redis-server';

describe(`${CachingModule.name} admin routes and CACHE_MANAGER (e2e)`, () => {
  const server = new RedisServer();
  const keyPrefix = testKeyPrefix('admin');
  let t: CachingApp;
  let redis: Redis;
  let cacheManager: Cache;

  beforeAll(async () => {
    await server.start();
    t = await createCachingApp({ REDIS__URL: server.url, REDIS__KEY_PREFIX: keyPrefix });
    redis = inspector(server.url);
    cacheManager = t.app.get<Cache>(CACHE_MANAGER);
  });

  afterAll(async () => {
    redis.disconnect();
    await t?.close();
    await server.stop();
  });

  const post = (body: object, headers: Record<string, string>) =>
    t.app.getHttpAdapter().getInstance().inject({
      method: 'POST',
      url: '/cache/invalidate',
      headers,
      payload: body,
    });

  it('should serve GET /cache/stats to admins only', async () => {
    await t.get('/scenario/items/stats');
    await t.get('/scenario/items/stats');

    const anonymous = await t.get('/cache/stats');
    const user = await t.get('/cache/stats', t.auth('user'));
    const admin = await t.get('/cache/stats', t.auth('admin'));

    expect([anonymous.status, user.status, admin.status]).toEqual([401, 403, 200]);
    expect(admin.json()).toMatchObject({
      stats: {
        hits: 1,
        misses: 1,
        hit_rate_percent: 50,
        total_requests: 2,
        redis_breaker: 'closed',
      },
      info: { redis: 'up', total_keys: expect.any(Number), memory_used_mb: expect.any(Number) },
    });
  });

  it('should invalidate by tag, key, pattern and event on POST /cache/invalidate for admins only', async () => {
    const admin = t.auth('admin');
    const warm = async (id: string) => {
      await t.get(`/scenario/items/${id}`);
      return (await t.get(`/scenario/items/${id}`)).xCache;
    };
    const missesAfter = async (id: string, body: object) => {
      const res = await post(body, admin);
      return {
        status: res.statusCode,
        body: res.json(),
        next: (await t.get(`/scenario/items/${id}`)).xCache,
      };
    };
    expect(await Promise.all(['t1', 'k1', 'p1', 'e1'].map(warm))).toEqual([
      'HIT',
      'HIT',
      'HIT',
      'HIT',
    ]);
    const { key } = t.policy.key(
      { route: '/scenario/items/:id', params: { id: 'k1' }, query: {}, headers: {} },
      t.policy.resolve({ scope: 'public' }),
      new Set(),
    );

    expect((await post({ tags: ['item:t1'] }, t.auth('user'))).statusCode).toBe(403);
    expect((await post({ tags: ['item:t1'] }, {})).statusCode).toBe(401);
    expect((await post({}, admin)).statusCode).toBe(400);
    expect(await missesAfter('t1', { tags: ['item:t1'] })).toEqual({
      status: 200,
      body: { invalidated: true, deleted_keys: 0 },
      next: 'MISS',
    });
    expect(await redis.exists(key)).toBe(1);
    expect(await missesAfter('k1', { key })).toMatchObject({ status: 200, next: 'MISS' });
    const byPattern = await missesAfter('p1', { pattern: 'scenario:items*' });
    expect(byPattern).toMatchObject({ status: 200, next: 'MISS' });
    expect(byPattern.body.deleted_keys).toBeGreaterThanOrEqual(1);
    expect(await missesAfter('e1', { event: 'item_changed' })).toMatchObject({ next: 'MISS' });
  });

  it('should get, set and wrap through CACHE_MANAGER under the app prefix', async () => {
    const compute = jest.fn(() => Promise.resolve({ answer: 42 }));

    await cacheManager.set('greeting', { text: 'hello' }, 60_000);
    const read = await cacheManager.get<{ text: string }>('greeting');
    const first = await cacheManager.wrap('computed', compute, 60_000);
    const second = await cacheManager.wrap('computed', compute, 60_000);

    expect(read).toEqual({ text: 'hello' });
    expect([first, second]).toEqual([{ answer: 42 }, { answer: 42 }]);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(await scanKeys(redis, `${keyPrefix}:app:*`)).toEqual([
      `${keyPrefix}:app:computed`,
      `${keyPrefix}:app:greeting`,
    ]);
    const ttl = await redis.pttl(`${keyPrefix}:app:greeting`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('should clear only the app keys of CACHE_MANAGER, never foreign or response-cache keys', async () => {
    await cacheManager.set('to-clear', 1, 60_000);
    await redis.set('bull:foo', 'queue data');
    await redis.set(`${keyPrefix}:bull:foo`, 'queue data');
    await t.get('/scenario/items/survivor');
    await waitForEntryKeys(redis, keyPrefix, 'scenario:items:id');
    const cacheKeys = await scanKeys(redis, `${keyPrefix}:cache:*`);

    await cacheManager.clear();

    expect(await scanKeys(redis, `${keyPrefix}:app:*`)).toEqual([]);
    expect(await redis.get('bull:foo')).toBe('queue data');
    expect(await redis.get(`${keyPrefix}:bull:foo`)).toBe('queue data');
    expect(await scanKeys(redis, `${keyPrefix}:cache:*`)).toEqual(cacheKeys);
    expect(cacheKeys.length).toBeGreaterThan(0);
  });
});
