import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { testKeyPrefix } from '../../fixtures/caching/caching-app';
import { RedisServer } from '../../fixtures/caching/redis-server';
import { createRateLimitApp, RateLimitApp } from '../../fixtures/rate-limit/rate-limit-app';

const WINDOW_MS = '3600000';
const SYNC_MS = 20;
const REDIS_TIMEOUT_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await sleep(10);
  }
}

describe('Rate limit scenarios (e2e)', () => {
  const apps: RateLimitApp[] = [];
  const boot = async (env: Record<string, string>) => {
    const app = await createRateLimitApp({
      RATE_LIMIT__ENABLED: 'true',
      RATE_LIMIT__MAX: '5',
      RATE_LIMIT__WINDOW_MS: WINDOW_MS,
      RATE_LIMIT__SYNC_INTERVAL_MS: String(SYNC_MS),
      RATE_LIMIT__REDIS_TIMEOUT_MS: String(REDIS_TIMEOUT_MS),
      ...env,
    });
    apps.push(app);
    return app;
  };

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('should give a @RateLimit route its own counter and skip a route with skip: true', async () => {
    const app = await boot({ REDIS__KEY_PREFIX: testKeyPrefix('rl_routes') });
    const user = app.auth();

    const strict = [];
    for (let i = 0; i < 4; i++) {
      strict.push(await app.get('/limited/strict', user));
    }
    const plain = await app.get('/limited/default', user);
    const free = [];
    for (let i = 0; i < 10; i++) {
      free.push(await app.get('/limited/free', user));
    }

    expect(strict.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(strict[3].headers['ratelimit-policy']).toBe('3;w=3600');
    expect(plain.status).toBe(200);
    expect(plain.headers['ratelimit-remaining']).toBe('4');
    expect(free.every((answer) => answer.status === 200)).toBe(true);
    expect(free[9].headers['ratelimit-limit']).toBeUndefined();
  });

  it('should count per IP without a token and per user with one', async () => {
    const app = await boot({ REDIS__KEY_PREFIX: testKeyPrefix('rl_ip') });

    const fromA = [];
    for (let i = 0; i < 6; i++) {
      fromA.push((await app.get('/limited/default', {}, '10.0.0.1')).status);
    }
    const fromB = await app.get('/limited/default', {}, '10.0.0.2');
    const userOnA = await app.get('/limited/default', app.auth(), '10.0.0.1');

    expect(fromA).toEqual([200, 200, 200, 200, 200, 429]);
    expect(fromB.status).toBe(200);
    expect(userOnA.status).toBe(200);
  });

  it('should share counts across instances through Redis', async () => {
    const prefix = testKeyPrefix('rl_fleet');
    const [a, b] = [
      await boot({ REDIS__KEY_PREFIX: prefix }),
      await boot({ REDIS__KEY_PREFIX: prefix }),
    ];
    const userId = randomUUID();
    // Both instances connected: a first request of another user reaches Redis from each.
    for (const app of [a, b]) {
      await app.get('/limited/default', app.auth());
    }
    await sleep(SYNC_MS * 5);

    for (let i = 0; i < 5; i++) {
      expect((await a.get('/limited/default', a.auth(userId))).status).toBe(200);
    }
    await sleep(SYNC_MS * 5); // a sends its counts, b reads the total on its next sync
    await b.get('/limited/default', b.auth(userId));
    await sleep(SYNC_MS * 5);

    expect((await b.get('/limited/default', b.auth(userId))).status).toBe(429);
  });

  describe('with Redis down', () => {
    const redis = new RedisServer();

    beforeAll(async () => {
      await redis.start();
    });

    afterAll(async () => {
      await redis.stop();
    });

    it('should let requests through at once (fail open to local counts), count them, and sync again when Redis is back', async () => {
      const prefix = testKeyPrefix('rl_down');
      const app = await boot({ REDIS__URL: redis.url, REDIS__KEY_PREFIX: prefix });
      const probe = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      await app.get('/limited/default', app.auth());
      await until(async () => {
        await probe.connect().catch(() => undefined);
        return (await probe.keys(`${prefix}:rl:*`)).length > 0;
      });
      probe.disconnect();
      await redis.kill();

      const answers = [];
      for (let i = 0; i < 50; i++) {
        answers.push(await app.get('/limited/default', app.auth()));
        await sleep(2);
      }
      const user = app.auth();
      const one = [];
      for (let i = 0; i < 6; i++) {
        one.push((await app.get('/limited/default', user)).status);
      }

      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      // Nothing waits for Redis: a request costs its CPU, not the command timeout (median, so
      // one scheduler stall of a busy box does not decide).
      const sorted = answers.map((answer) => answer.ms).sort((x, y) => x - y);
      expect(sorted[sorted.length >> 1]).toBeLessThan(REDIS_TIMEOUT_MS);
      expect(one).toEqual([200, 200, 200, 200, 200, 429]); // still limited by this instance
      expect(await app.metric('rate_limit_fail_open_total')).toBeGreaterThan(0);
      expect(await app.metric('rate_limit_redis_failures_total')).toBeGreaterThan(0);
      expect(await app.metric('rate_limit_redis_degraded')).toBe(1);

      await redis.start();
      await until(async () => {
        await app.get('/limited/default', app.auth());
        return (await app.metric('rate_limit_redis_degraded')) === 0;
      }, 10_000);
    });
  });
});
