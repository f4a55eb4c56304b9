import { Inject, Injectable, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { ConfigType } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { redisConfig } from '../../config';
import {
  CacheResponseOptions,
  ResolvedCacheOptions,
  resolveCacheOptions,
  RouteCacheOptions,
} from '../cache-options';
import { cachingConfig } from '../caching.config';
import { CACHE_RESPONSE_OPTIONS } from '../caching.constants';
import { CACHING_MODULE_OPTIONS, type CachingModuleOptions } from '../caching.module-definition';
import { cacheKeyRoot } from '../engine/keyspace';
import { BuiltKey, CacheKeyBuilder, KeyInputs, keyInputsOf } from './cache-key.builder';
import type { CachedRoute, CacheHooks } from './cached-route';
import { KeyMemo } from './key-memo';
import { documentedQueryParams } from './query-allow-list';

type Handler = (...args: unknown[]) => unknown;

/**
 * The one cache decision of the app, asked by the interceptor and by the Fastify fast path: each
 * route's options, its key (route, params, allow-listed query, vary headers, the user for user
 * scope), whether a request may use the cache, and which routes may answer before the guards.
 * When the app's registered interceptor overrides its hooks, the fast path calls them too.
 */
@Injectable()
export class CachePolicy {
  private readonly routes = new WeakMap<Handler, CachedRoute | null>();
  private readonly keys: CacheKeyBuilder;
  private hooks?: CacheHooks;

  constructor(
    private readonly reflector: Reflector,
    @Inject(cachingConfig.KEY) private readonly config: ConfigType<typeof cachingConfig>,
    @Inject(CACHING_MODULE_OPTIONS) private readonly defaults: CachingModuleOptions,
    @Inject(redisConfig.KEY) redis: ConfigType<typeof redisConfig>,
  ) {
    this.keys = new CacheKeyBuilder(cacheKeyRoot(redis.keyPrefix), config.schemaVersion);
  }

  /** @internal Called once with the app's interceptor (`CachingModule.forRoot({ interceptor })`). */
  useHooks(hooks: CacheHooks): void {
    this.hooks = hooks;
  }

  /**
   * Whether keys are the default rule's alone (a pure function of the URL, the vary headers and
   * the principal). The app's own interceptor hooks may read anything of a request.
   */
  get defaultKeys(): boolean {
    return !this.hooks?.customHooks;
  }

  /** Whether `X-Cache` is sent. */
  get xCacheHeader(): boolean {
    return this.config.xCacheHeader;
  }

  /** The route's caching, or undefined when it has no `@CacheResponse`. */
  route(handler: Handler, controller: Type): CachedRoute | undefined {
    let route = this.routes.get(handler);
    if (route === undefined) {
      const raw = this.reflector.getAllAndOverride<CacheResponseOptions | undefined>(
        CACHE_RESPONSE_OPTIONS,
        [handler, controller],
      );
      const options = raw && this.resolve(raw);
      route = options
        ? {
            options,
            allowedQuery: this.allowedQuery(options, handler, controller),
            status: this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler) ?? 200,
            handler,
            controller,
          }
        : null;
      this.routes.set(handler, route);
    }
    return route ?? undefined;
  }

  /** Route options with module and env defaults applied. */
  resolve(options: CacheResponseOptions): RouteCacheOptions {
    return resolveCacheOptions(options, this.defaults, this.config);
  }

  /** The query params `options` let into the key: its `queryParams`, else what the route documents. */
  allowedQuery(options: ResolvedCacheOptions, handler: Handler, controller: Type) {
    const route = this.routes.get(handler);
    if (route && route.options === options) {
      return route.allowedQuery;
    }
    return options.queryParams
      ? new Set(options.queryParams)
      : documentedQueryParams(controller.prototype as object, handler);
  }

  /** The default key and tags of a request's key inputs (`keyInputsOf(request, userId)`). */
  key(inputs: KeyInputs, options: ResolvedCacheOptions, allowedQuery: ReadonlySet<string>) {
    return this.keys.build(inputs, options, allowedQuery);
  }

  /**
   * The default rule: GET/HEAD only, caching enabled, no undeclared query params (such a request
   * must reach the route's validation, and never makes an entry), and never a shared entry for a
   * request with credentials unless the route explicitly declared `scope: 'public'`.
   */
  isCacheable(
    request: FastifyRequest,
    options: RouteCacheOptions,
    allowedQuery: ReadonlySet<string>,
  ): boolean {
    return (
      this.admits(request, options) &&
      options.strategy !== 'cache_none' &&
      !this.hasUnknownParams(request, options, allowedQuery)
    );
  }

  /**
   * Whether hits of a route may be answered before Nest's pipeline: a public `@Public()` route
   * without `@Roles()` that says `scope: 'public'` explicitly, so that for a request without
   * credentials the guard lets it through and the interceptor would answer the same entry.
   */
  answersBeforeGuards(route: CachedRoute, access: { isPublic: boolean; roles?: unknown }) {
    const { options } = route;
    return (
      options.enabled &&
      options.scope === 'public' &&
      options.scopeExplicit &&
      access.isPublic &&
      !access.roles
    );
  }

  /**
   * The key of a request without credentials on such a route: the interceptor's hooks when the app's
   * subclass overrides them, else the default key.
   */
  earlyKey(request: FastifyRequest, reply: FastifyReply, route: CachedRoute): BuiltKey | undefined {
    if (this.hooks?.customHooks) {
      const context = new ExecutionContextHost([request, reply], route.controller, route.handler);
      return this.hooks.lookupKey(context, route.options);
    }
    return this.defaultKey(request, route);
  }

  /**
   * The default rule ({@link isCacheable}) and key in one, remembered per route by URL, vary
   * header values and (user scope) principal: a hit, with credentials or without, costs a map
   * lookup instead of the canonical JSON and the SHA-256.
   */
  defaultKey(request: FastifyRequest, route: CachedRoute): BuiltKey | undefined {
    const { options, allowedQuery } = route;
    if (!this.admits(request, options)) {
      return undefined;
    }
    const userId = request.user?.id;
    const memo = (route.memo ??= new KeyMemo(options.varyHeaders.map((h) => h.toLowerCase())));
    const memoKey = memoKeyOf(memo, options, request, userId);
    let built = memo.get(memoKey);
    if (!built) {
      if (
        options.strategy === 'cache_none' ||
        this.hasUnknownParams(request, options, allowedQuery)
      ) {
        return undefined;
      }
      built = this.key(keyInputsOf(request, userId), options, allowedQuery);
      memo.set(memoKey, built);
    }
    return built;
  }

  /**
   * The key {@link defaultKey} remembered for this URL, vary header values and principal, if any:
   * no parsing, no building (the HTTP edge asks it; the default rule must be the app's).
   */
  learntKey(
    route: CachedRoute,
    request: Pick<FastifyRequest, 'method' | 'url' | 'headers' | 'user'>,
  ): BuiltKey | undefined {
    const memo = route.memo;
    if (!memo || !this.defaultKeys || !this.admits(request, route.options)) {
      return undefined;
    }
    return memo.get(memoKeyOf(memo, route.options, request, request.user?.id));
  }

  /**
   * The part of the rule that needs no parsing: GET/HEAD, caching enabled, a principal for user
   * scope, and no credentials on a shared entry unless the route said `scope: 'public'`.
   */
  private admits(
    request: Pick<FastifyRequest, 'method' | 'headers' | 'user'>,
    options: RouteCacheOptions,
  ): boolean {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !options.enabled) {
      return false;
    }
    if (options.scope === 'user') {
      return request.user !== undefined;
    }
    const hasCredentials =
      request.user !== undefined ||
      request.headers.authorization !== undefined ||
      request.headers.cookie !== undefined;
    return !hasCredentials || options.scopeExplicit;
  }

  private hasUnknownParams(
    request: FastifyRequest,
    options: ResolvedCacheOptions,
    allowedQuery: ReadonlySet<string>,
  ): boolean {
    return (
      options.includeQueryParams &&
      this.keys.hasUnknownParams(keyInputsOf(request), options, allowedQuery)
    );
  }
}

/** A request's key in its route's memo: URL and vary header values, and the principal for user scope. */
function memoKeyOf(
  memo: KeyMemo,
  options: RouteCacheOptions,
  request: Pick<FastifyRequest, 'url' | 'headers'>,
  userId: string | undefined,
): string {
  const urlKey = memo.of(request.url, request.headers);
  return options.scope === 'user' ? `${userId}\n${urlKey}` : urlKey;
}
