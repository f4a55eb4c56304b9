import { ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type Redis from 'ioredis';
import { BuiltKey, HttpCacheInterceptor, ResolvedCacheOptions } from '../../../src/caching';
import { CachingApp, createCachingApp, testKeyPrefix } from '../../fixtures/caching/caching-app';
import {
  dropKeysAndDisconnect,
  inspector,
  waitForEntryKeys,
} from '../../fixtures/caching/redis-keys';

/** What an app team writes: the stock key, plus the caller's tenant. */
class TenantCacheInterceptor extends HttpCacheInterceptor {
  protected override trackBy(
    context: ExecutionContext,
    options: ResolvedCacheOptions,
  ): BuiltKey | undefined {
    const built = super.trackBy(context, options);
    const tenant = context.switchToHttp().getRequest<FastifyRequest>().headers['x-tenant'];
    return built && { ...built, key: `${built.key}:tenant-${String(tenant ?? 'none')}` };
  }
}

describe(`${HttpCacheInterceptor.name} subclass registered with CachingModule.forRoot (e2e)`, () => {
  const keyPrefix = testKeyPrefix('tenant');
  let t: CachingApp;
  let redis: Redis;
  let intercept: jest.SpyInstance;
  const tenant = (name: string, headers: Record<string, string> = {}) => ({
    'x-tenant': name,
    ...headers,
  });

  beforeAll(async () => {
    t = await createCachingApp(
      { REDIS__KEY_PREFIX: keyPrefix, CACHING__FAST_PATH: 'true' },
      { interceptor: TenantCacheInterceptor },
    );
    redis = inspector(process.env.REDIS__URL ?? 'redis://127.0.0.1:6379');
  });

  beforeEach(() => {
    intercept = jest.spyOn(HttpCacheInterceptor.prototype, 'intercept');
  });

  afterEach(() => {
    intercept.mockRestore();
  });

  afterAll(async () => {
    await dropKeysAndDisconnect(redis, keyPrefix);
    await t.close();
  });

  it('should key by the override on the interceptor path (misses, with and without credentials)', async () => {
    const url = '/scenario/items/normal';

    const acme = await t.get(url, tenant('acme'));
    const globex = await t.get(url, tenant('globex'));
    // With a valid token a hit is answered before the guards (acme, by the override's key: see
    // the fast-path case below) and a miss by the interceptor (initech).
    const acmeSignedIn = await t.get(url, tenant('acme', t.auth()));
    const initechSignedIn = await t.get(url, tenant('initech', t.auth()));

    expect([acme.xCache, globex.xCache]).toEqual(['MISS', 'MISS']);
    expect([acmeSignedIn.xCache, initechSignedIn.xCache]).toEqual(['HIT', 'MISS']);
    expect(acmeSignedIn.body).toBe(acme.body);
    expect(globex.body).not.toBe(acme.body);
    expect(t.calls.of('items:normal')).toBe(3);
    expect(intercept).toHaveBeenCalledTimes(3);
    const keys = await waitForEntryKeys(redis, keyPrefix, 'scenario:items:id', 3);
    expect(keys.filter((key) => key.endsWith(':tenant-acme'))).toHaveLength(1);
    expect(keys.filter((key) => key.endsWith(':tenant-globex'))).toHaveLength(1);
    expect(keys.filter((key) => key.endsWith(':tenant-initech'))).toHaveLength(1);
  });

  it('should key by the override on the fast path (L1 and Redis hits before the guards)', async () => {
    const url = '/scenario/items/fast';
    const acme = await t.get(url, tenant('acme'));
    const globex = await t.get(url, tenant('globex'));
    await waitForEntryKeys(redis, keyPrefix, 'scenario:items:id', 5);
    intercept.mockClear();

    const acmeHit = await t.get(url, tenant('acme'));
    const globexHit = await t.get(url, tenant('globex'));
    t.engine.clearL1();
    const acmeFromRedis = await t.get(url, tenant('acme'));

    expect([acmeHit.xCache, globexHit.xCache, acmeFromRedis.xCache]).toEqual(['HIT', 'HIT', 'HIT']);
    expect(intercept).not.toHaveBeenCalled();
    expect(acmeHit.body).toBe(acme.body);
    expect(acmeFromRedis.body).toBe(acme.body);
    expect(globexHit.body).toBe(globex.body);
    expect(globexHit.body).not.toBe(acme.body);
    const unseen = await t.get(url, tenant('umbrella'));
    expect(unseen.xCache).toBe('MISS');
    expect(intercept).toHaveBeenCalledTimes(1);
    expect(t.calls.of('items:fast')).toBe(3);
  });

  it('should fail the boot when the interceptor does not extend HttpCacheInterceptor', async () => {
    class NotACacheInterceptor {
      intercept(): never {
        throw new Error('unused');
      }
    }

    await expect(
      createCachingApp(
        { REDIS__KEY_PREFIX: `${keyPrefix}_bad` },
        { interceptor: NotACacheInterceptor, connected: false },
      ),
    ).rejects.toThrow('must extend HttpCacheInterceptor');
  });
});
