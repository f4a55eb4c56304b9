import { ExecutionContext } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { redisConfig } from '../../config';
import { ResolvedCacheOptions } from '../cache-options';
import { cachingConfig } from '../caching.config';
import { BuiltKey } from './cache-key.builder';
import { CachePolicy } from './cache-policy';
import type { CachedRoute } from './cached-route';
import { HttpCacheInterceptor } from './http-cache.interceptor';
import type { ResponseStore } from './response-store';

class Controller {
  list(): void {}
}

class PlainSubclass extends HttpCacheInterceptor {}

class TenantSubclass extends HttpCacheInterceptor {
  protected override trackBy(context: ExecutionContext, options: ResolvedCacheOptions) {
    const built = super.trackBy(context, options) as BuiltKey;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    return { ...built, key: `${built.key}:${String(request.headers['x-tenant'])}` };
  }
}

const requestOf = (url: string, headers: Record<string, string> = {}) =>
  ({
    method: 'GET',
    url,
    headers,
    params: {},
    query: Object.fromEntries(new URLSearchParams(url.split('?')[1] ?? '')),
    routeOptions: { url: '/list' },
  }) as unknown as FastifyRequest;
const reply = {} as FastifyReply;

describe(CachePolicy.name, () => {
  let policy: CachePolicy;
  let route: CachedRoute;
  const store = {} as ResponseStore;

  beforeEach(() => {
    policy = new CachePolicy(new Reflector(), cachingConfig(), {}, {
      keyPrefix: 'unit',
    } as ConfigType<typeof redisConfig>);
    const options = policy.resolve({ scope: 'public', queryParams: ['page'] });
    const handler = Controller.prototype.list;
    route = {
      options,
      allowedQuery: new Set(['page']),
      status: 200,
      handler,
      controller: Controller,
    };
  });

  it('should remember the default key of a URL when the interceptor keeps the stock hooks', () => {
    policy.useHooks(new PlainSubclass(policy, store));

    const first = policy.earlyKey(requestOf('/list?page=2'), reply, route);
    const again = policy.earlyKey(requestOf('/list?page=2'), reply, route);

    expect(new PlainSubclass(policy, store).customHooks).toBe(false);
    expect(first?.key).toMatch(/^unit:cache:list:pub:/);
    expect(again).toBe(first);
    expect(policy.earlyKey(requestOf('/list?junk=1'), reply, route)).toBeUndefined();
  });

  it("should ask an overriding subclass's hooks for every request, with the request in the context", () => {
    const tenant = new TenantSubclass(policy, store);
    policy.useHooks(tenant);

    const acme = policy.earlyKey(requestOf('/list', { 'x-tenant': 'acme' }), reply, route);
    const globex = policy.earlyKey(requestOf('/list', { 'x-tenant': 'globex' }), reply, route);

    expect(tenant.customHooks).toBe(true);
    expect(acme?.key).toMatch(/:acme$/);
    expect(globex?.key).toMatch(/:globex$/);
    expect(globex?.key.replace(/:globex$/, '')).toBe(acme?.key.replace(/:acme$/, ''));
  });

  describe('defaultKey', () => {
    const userRoute = (scope: 'user' | 'public', explicit = true): CachedRoute => {
      const options = policy.resolve(explicit ? { scope, queryParams: ['page'] } : {});
      return { ...route, options, memo: undefined };
    };
    const withUser = (request: FastifyRequest, id?: string) =>
      Object.assign(request, { user: id === undefined ? undefined : { id, role: 'user' } });

    it('should remember a user-scoped key per principal, never sharing it between users', () => {
      const mine = userRoute('user');
      const alice = policy.defaultKey(withUser(requestOf('/list?page=1'), 'alice'), mine);
      const again = policy.defaultKey(withUser(requestOf('/list?page=1'), 'alice'), mine);
      const bob = policy.defaultKey(withUser(requestOf('/list?page=1'), 'bob'), mine);

      expect(again).toBe(alice);
      expect(alice?.key).toMatch(/:u:alice:/);
      expect(bob?.key).toMatch(/:u:bob:/);
      expect(alice?.tags).toContain('user:alice');
      expect(policy.defaultKey(withUser(requestOf('/list?page=1')), mine)).toBeUndefined();
    });

    it('should give credentials the shared key only on an explicitly public route', () => {
      const explicit = userRoute('public');
      const implicit = userRoute('public', false);
      const anonymous = policy.defaultKey(requestOf('/list?page=1'), explicit);
      const bearer = { authorization: 'Bearer x' };

      expect(policy.defaultKey(requestOf('/list?page=1', bearer), explicit)).toBe(anonymous);
      expect(policy.defaultKey(requestOf('/list?page=1', bearer), implicit)).toBeUndefined();
      expect(
        policy.defaultKey(requestOf('/list?page=1', { cookie: 'a=b' }), implicit),
      ).toBeUndefined();
      expect(policy.defaultKey(requestOf('/list'), implicit)?.key).toMatch(/:pub:/);
    });

    it('should bypass writes, undeclared params and a disabled route', () => {
      const explicit = userRoute('public');
      const post = Object.assign(requestOf('/list'), { method: 'POST' });
      const disabled = { ...explicit, options: { ...explicit.options, enabled: false } };

      expect(policy.defaultKey(post, explicit)).toBeUndefined();
      expect(policy.defaultKey(requestOf('/list?junk=1'), explicit)).toBeUndefined();
      expect(policy.defaultKey(requestOf('/list'), disabled)).toBeUndefined();
    });
  });
});
