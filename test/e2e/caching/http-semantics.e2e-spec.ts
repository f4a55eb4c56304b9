import type Redis from 'ioredis';
import { gunzipSync } from 'node:zlib';
import { HttpCacheInterceptor } from '../../../src/caching';
import { CachingApp, createCachingApp, testKeyPrefix } from '../../fixtures/caching/caching-app';
import {
  ageEntry,
  dropKeysAndDisconnect,
  entryKeys,
  inspector,
  waitForEntryKeys,
} from '../../fixtures/caching/redis-keys';

const nextTick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`${HttpCacheInterceptor.name} HTTP semantics (e2e)`, () => {
  const keyPrefix = testKeyPrefix('http');
  let t: CachingApp;
  let redis: Redis;

  beforeAll(async () => {
    t = await createCachingApp({ REDIS__KEY_PREFIX: keyPrefix });
    redis = inspector(process.env.REDIS__URL ?? 'redis://127.0.0.1:6379');
  });

  afterAll(async () => {
    await dropKeysAndDisconnect(redis, keyPrefix);
    await t.close();
  });

  it('should answer MISS then HIT with the same bytes, a strong ETag and public Cache-Control', async () => {
    const first = await t.get('/scenario/items/x-cache');
    const second = await t.get('/scenario/items/x-cache');

    expect([first.status, first.xCache, second.status, second.xCache]).toEqual([
      200,
      'MISS',
      200,
      'HIT',
    ]);
    expect(second.body).toBe(first.body);
    expect(second.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['cache-control']).toMatch(/^public, max-age=(59|60)$/);
    expect(second.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(t.calls.of('items:x-cache')).toBe(1);
  });

  it("should send an entry's age in Age and the route's whole TTL in max-age (a downstream cache subtracts Age once)", async () => {
    const first = await t.get('/scenario/items/aged');
    // Timers never fire early: the entry is at least a second old after this.
    await nextTick(1100);

    const later = await t.get('/scenario/items/aged');

    expect([first.xCache, later.xCache]).toEqual(['MISS', 'HIT']);
    expect(Number(later.headers.age)).toBeGreaterThanOrEqual(1);
    expect(Number(later.headers.age)).toBeLessThan(60);
    expect(later.headers['cache-control']).toBe('public, max-age=60');
    expect(t.calls.of('items:aged')).toBe(1);
  });

  it('should answer 304 with an empty body to a matching If-None-Match without running the handler', async () => {
    const first = await t.get('/scenario/items/etag');
    const etag = String(first.headers.etag);

    const conditional = await t.get('/scenario/items/etag', { 'if-none-match': etag });
    const otherTag = await t.get('/scenario/items/etag', { 'if-none-match': '"other"' });

    expect(conditional.status).toBe(304);
    expect(conditional.body).toBe('');
    expect(conditional.headers.etag).toBe(etag);
    expect(otherTag.status).toBe(200);
    expect(otherTag.body).toBe(first.body);
    expect(t.calls.of('items:etag')).toBe(1);
  });

  it('should mark user-scoped answers private with Vary: Authorization and BYPASS anonymous callers', async () => {
    const headers = t.auth();
    await t.get('/scenario/me', headers);
    const hit = await t.get('/scenario/me', headers);
    const anonymous = await t.get('/scenario/me');

    expect(hit.xCache).toBe('HIT');
    expect(hit.headers['cache-control']).toBe('private, no-cache');
    expect(hit.headers.vary).toBe('Authorization, Accept-Encoding');
    expect(anonymous.xCache).toBe('BYPASS');
    expect(anonymous.json()).toEqual({ user: null });
  });

  it('should serve STALE while exactly one refresh runs, then the refreshed entry', async () => {
    const first = await t.get('/scenario/swr/a');
    const [key] = await waitForEntryKeys(redis, keyPrefix, 'scenario:swr:name');
    await ageEntry(redis, key, 2000);
    t.engine.clearL1();

    const stale = await Promise.all(Array.from({ length: 5 }, () => t.get('/scenario/swr/a')));
    for (let i = 0; i < 50 && t.calls.of('swr:a') < 2; i++) {
      await nextTick(20);
    }
    await nextTick(50);
    const refreshed = await t.get('/scenario/swr/a');

    expect(first.json()).toEqual({ name: 'a', run: 1 });
    expect(stale.map((answer) => [answer.status, answer.xCache, answer.body])).toEqual(
      stale.map(() => [200, 'STALE', first.body]),
    );
    expect(t.calls.of('swr:a')).toBe(2);
    expect([refreshed.xCache, refreshed.json()]).toEqual(['HIT', { name: 'a', run: 2 }]);
  });

  it('should serve the STALE entry within grace when the handler throws, and the error without one', async () => {
    const first = await t.get('/scenario/grace/a');
    const [key] = await waitForEntryKeys(redis, keyPrefix, 'scenario:grace:name');
    await ageEntry(redis, key, 2000);
    t.engine.clearL1();
    t.calls.failing = true;
    try {
      const graced = await t.get('/scenario/grace/a');
      const noEntry = await t.get('/scenario/grace/b');

      expect([graced.status, graced.xCache, graced.body]).toEqual([200, 'STALE', first.body]);
      expect(noEntry.status).toBe(503);
      expect(t.calls.of('grace:a')).toBe(2);
    } finally {
      t.calls.failing = false;
    }
  });

  it.each([500, 503, 429, 404])('should never store a %i response', async (status) => {
    const first = await t.get(`/scenario/fail/${status}`);
    const second = await t.get(`/scenario/fail/${status}`);

    expect([first.status, second.status]).toEqual([status, status]);
    expect(t.calls.of(`fail:${status}`)).toBe(2);
    expect(await entryKeys(redis, keyPrefix, 'scenario:fail:')).toEqual([]);
  });

  it.each(['cookie', 'no-store'])('should never store a response with %s', async (route) => {
    const first = await t.get(`/scenario/${route}`);
    const second = await t.get(`/scenario/${route}`);

    expect([first.json(), second.json()]).toEqual([{ run: 1 }, { run: 2 }]);
    expect(second.xCache).toBe('BYPASS');
    expect(await entryKeys(redis, keyPrefix, `scenario:${route}`)).toEqual([]);
  });

  it('should never store 401 and 403 answers', async () => {
    const anonymous = await t.get('/scenario/admin-only');
    const user = await t.get('/scenario/admin-only', t.auth('user'));

    expect([anonymous.status, user.status]).toEqual([401, 403]);
    expect(t.calls.of('admin-only')).toBe(0);
    expect(await entryKeys(redis, keyPrefix, 'scenario:admin-only')).toEqual([]);
  });

  it('should cut the Redis bytes of an 8 KB JSON entry by at least 60% with compression', async () => {
    const compressed = await t.get('/scenario/big/doc');
    const plain = await t.get('/scenario/big-raw/doc');
    const [zippedKey] = await waitForEntryKeys(redis, keyPrefix, 'scenario:big:name');
    const [plainKey] = await waitForEntryKeys(redis, keyPrefix, 'scenario:big-raw:name');
    const zippedBytes = await redis.strlen(zippedKey);
    const plainBytes = await redis.strlen(plainKey);
    const saved = 1 - zippedBytes / plainBytes;
    console.info(
      `compression: body ${compressed.body.length} B, stored ${zippedBytes} B vs ${plainBytes} B uncompressed (${(saved * 100).toFixed(1)}% saved)`,
    );

    expect(compressed.body).toBe(plain.body);
    expect(compressed.body.length).toBeGreaterThanOrEqual(8 * 1024);
    expect(plainBytes).toBeGreaterThan(compressed.body.length);
    expect(saved).toBeGreaterThanOrEqual(0.6);
    t.engine.clearL1();
    const hit = await t.get('/scenario/big/doc');
    expect([hit.xCache, hit.body]).toEqual(['HIT', compressed.body]);
  });

  it('should send a compressed Redis entry as stored to a gzip client, with its own ETag and 304', async () => {
    const stored = (await entryKeys(redis, keyPrefix, 'scenario:big:name')).length;
    const first = await t.get('/scenario/big/gzip-doc');
    await waitForEntryKeys(redis, keyPrefix, 'scenario:big:name', stored + 1);
    t.engine.clearL1();

    const zipped = await t.get('/scenario/big/gzip-doc', { 'accept-encoding': 'gzip, br' });
    const identity = await t.get('/scenario/big/gzip-doc');

    expect([zipped.xCache, zipped.headers['content-encoding']]).toEqual(['HIT', 'gzip']);
    expect(gunzipSync(zipped.raw).toString()).toBe(first.body);
    expect(zipped.raw.length).toBeLessThan(first.body.length / 2);
    expect(zipped.headers.vary).toContain('Accept-Encoding');
    expect(zipped.headers.etag).toBe(`${String(first.headers.etag).slice(0, -1)}-gzip"`);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.body).toBe(first.body);
    const notModified = await t.get('/scenario/big/gzip-doc', {
      'accept-encoding': 'gzip',
      'if-none-match': String(zipped.headers.etag),
    });
    expect([notModified.status, notModified.raw.length]).toEqual([304, 0]);
  });

  it('should replay the stored Link, not the exchange headers, on memory and Redis hits with or without credentials', async () => {
    const url = '/scenario/linked/replay';
    const link = '</scenario/linked/replay?page=2>; rel="next"';
    const miss = await t.get(url);
    await waitForEntryKeys(redis, keyPrefix, 'scenario:linked:name');

    const fromMemory = await t.get(url);
    // Credentials skip the fast path: the interceptor answers these two.
    const signedIn = await t.get(url, t.auth());
    t.engine.clearL1();
    const fromRedis = await t.get(url);
    t.engine.clearL1();
    const signedInFromRedis = await t.get(url, t.auth());

    const hits = [fromMemory, signedIn, fromRedis, signedInFromRedis];
    expect(miss.xCache).toBe('MISS');
    expect(hits.map((hit) => hit.xCache)).toEqual(['HIT', 'HIT', 'HIT', 'HIT']);
    expect([miss, ...hits].map((res) => res.headers.link)).toEqual(Array(5).fill(link));
    expect(miss.headers['x-handler-run']).toBe('1');
    expect(hits.map((hit) => hit.headers['x-handler-run'])).toEqual(Array(4).fill(undefined));
    expect(t.calls.of('linked:replay')).toBe(1);
  });
});
