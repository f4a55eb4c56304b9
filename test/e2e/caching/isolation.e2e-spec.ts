import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { HttpCacheInterceptor } from '../../../src/caching';
import {
  Answer,
  CachingApp,
  createCachingApp,
  testKeyPrefix,
} from '../../fixtures/caching/caching-app';
import { dropKeysAndDisconnect, inspector } from '../../fixtures/caching/redis-keys';

/** Small seeded PRNG (mulberry32), so a failing run can be replayed from its seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Caller {
  id: string | null;
  headers: Record<string, string>;
}

const REQUESTS = 1200;
const BATCH = 24;

describe(`${HttpCacheInterceptor.name} principal isolation (e2e)`, () => {
  const keyPrefix = testKeyPrefix('isolation');
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

  it('should never serve a response to another principal across random users, routes and scopes', async () => {
    const seed = Number(process.env.CACHING_ISOLATION_SEED ?? Date.now() % 2 ** 31);
    const random = prng(seed);
    const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
    const anonymous: Caller = { id: null, headers: {} };
    const users: Caller[] = Array.from({ length: 40 }, (_, index) => {
      const id = randomUUID();
      return { id, headers: t.auth(index % 8 === 0 ? 'admin' : 'user', id) };
    });
    const pickCaller = () => (random() < 0.2 ? anonymous : pick(users));
    const routes = [
      () => '/scenario/me',
      () => `/scenario/me/${pick(['inbox', 'settings'])}?view=${pick(['full', 'short'])}`,
      () => '/scenario/implicit',
      () => '/scenario/shared',
    ];
    const leaks: string[] = [];
    const outcomes = new Map<string, number>();
    const sharedBodies = new Set<string>();

    const check = (caller: Caller, url: string, answer: Answer): void => {
      const key = `${url.split('?')[0].replace(/(inbox|settings)$/, ':section')} ${caller.id ? 'auth' : 'anon'} ${answer.xCache}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      if (answer.status !== 200) {
        leaks.push(`${url} answered ${answer.status}`);
        return;
      }
      if (url === '/scenario/shared') {
        sharedBodies.add(answer.body);
        return;
      }
      const body = answer.json<{ user: string | null }>();
      if (body.user !== caller.id) {
        leaks.push(`${url} for ${caller.id} got ${body.user} (${answer.xCache})`);
      }
      if (url === '/scenario/implicit' && caller.id && answer.xCache !== 'BYPASS') {
        leaks.push(`${url} with credentials was ${answer.xCache}, not BYPASS`);
      }
    };

    for (let sent = 0; sent < REQUESTS; sent += BATCH) {
      const batch = Array.from({ length: BATCH }, () => ({
        caller: pickCaller(),
        url: pick(routes)(),
      }));
      const answers = await Promise.all(batch.map(({ caller, url }) => t.get(url, caller.headers)));
      batch.forEach(({ caller, url }, index) => check(caller, url, answers[index]));
    }

    const count = (prefix: string) =>
      [...outcomes].filter(([key]) => key.startsWith(prefix)).reduce((sum, [, n]) => sum + n, 0);
    expect({ seed, leaks }).toEqual({ seed, leaks: [] });
    expect(sharedBodies.size).toBe(1);
    expect(t.calls.of('shared')).toBe(1);
    // The property is only meaningful if user-scoped entries were really served from the cache.
    expect(count('/scenario/me auth HIT')).toBeGreaterThan(50);
    expect(count('/scenario/me/:section auth HIT')).toBeGreaterThan(50);
    expect(count('/scenario/shared auth HIT')).toBeGreaterThan(50);
    expect(count('/scenario/implicit anon HIT')).toBeGreaterThan(10);
    expect(count('/scenario/me anon BYPASS')).toBeGreaterThan(0);
  });
});
