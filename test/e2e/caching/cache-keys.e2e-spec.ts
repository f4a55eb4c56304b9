import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { HttpCacheInterceptor } from '../../../src/caching';
import { CachingApp, createCachingApp, testKeyPrefix } from '../../fixtures/caching/caching-app';
import {
  dropKeysAndDisconnect,
  entryKeys,
  inspector,
  waitForEntryKeys,
} from '../../fixtures/caching/redis-keys';

describe(`${HttpCacheInterceptor.name} keys (e2e)`, () => {
  const keyPrefix = testKeyPrefix('keys');
  let t: CachingApp;
  let redis: Redis;
  const itemKeys = () => entryKeys(redis, keyPrefix, 'scenario:items:id');

  beforeAll(async () => {
    t = await createCachingApp({ REDIS__KEY_PREFIX: keyPrefix });
    redis = inspector(process.env.REDIS__URL ?? 'redis://127.0.0.1:6379');
  });

  afterAll(async () => {
    await dropKeysAndDisconnect(redis, keyPrefix);
    await t.close();
  });

  it('should hit the same entry whatever the order of the query params', async () => {
    const first = await t.get('/scenario/items/order?page=2&limit=10&sort=name');
    const reordered = await t.get('/scenario/items/order?sort=name&limit=10&page=2');
    const otherPage = await t.get('/scenario/items/order?limit=10&page=3&sort=name');

    expect([first.xCache, reordered.xCache, otherPage.xCache]).toEqual(['MISS', 'HIT', 'MISS']);
    expect(reordered.body).toBe(first.body);
    expect(first.json()).toMatchObject({ page: '2', limit: '10' });
    expect(t.calls.of('items:order')).toBe(2);
  });

  it('should create no entry for 1,000 requests with random undocumented or excluded params', async () => {
    // Undeclared params BYPASS (the route's validation decides); excluded ones still hit.
    await t.get('/scenario/items/junk?page=1&limit=20');
    await waitForEntryKeys(redis, keyPrefix, 'scenario:items:id');
    // Entries are written to Redis after the response: wait until earlier tests' writes have all
    // landed (one landed between the two snapshots on a loaded machine).
    let before = await itemKeys();
    for (let settled = false, tries = 0; !settled && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const again = await itemKeys();
      settled = JSON.stringify(again) === JSON.stringify(before);
      before = again;
    }

    const answers = [];
    for (let batch = 0; batch < 40; batch++) {
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 25 }, (_, index) => {
            const junk = `${randomBytes(4).toString('hex')}=${randomBytes(6).toString('hex')}`;
            const excluded = index % 2 ? `&timestamp=${Date.now()}&_=${index}` : '';
            return t.get(`/scenario/items/junk?${junk}&limit=20${excluded}&page=1`);
          }),
        )),
      );
    }
    const after = await itemKeys();

    const excludedOnly = await t.get('/scenario/items/junk?limit=20&timestamp=1&_=2&page=1');

    expect(answers).toHaveLength(1000);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1000);
    expect(answers.filter((answer) => answer.xCache === 'BYPASS')).toHaveLength(1000);
    expect(after).toEqual(before);
    expect(excludedOnly.xCache).toBe('HIT');
  });
});
