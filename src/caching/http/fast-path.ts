import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { routeAccess } from '../../auth';
import { CacheResponseOptions } from '../cache-options';
import { CACHE_RESPONSE_OPTIONS } from '../caching.constants';
import type { CacheEngine } from '../engine/cache-engine';
import { ResponseCacheService } from '../response-cache.service';
import { BuiltKey, keyInputsOf } from './cache-key.builder';
import { markOutcome, writeEntry } from './entry-response';
import { documentedQueryParams } from './query-allow-list';

type Handler = (...args: unknown[]) => unknown;

interface FastRoute {
  options: ReturnType<ResponseCacheService['resolve']>;
  allowedQuery: ReadonlySet<string>;
  /** Built keys by request URL (and vary header values): see {@link KeyMemo}. */
  keys: KeyMemo;
}

/** URLs remembered per route before the memo starts over (bounds its memory, ~200 KB). */
export const KEY_MEMO_SIZE = 1000;

/**
 * The built key of each recently seen URL of a fast route. For a public entry the key is a pure
 * function of the URL (route template, path and query params) and of the vary headers, so a hit
 * skips the canonical JSON and the SHA-256 (under load, building the key cost as much as the rest
 * of an L1 hit). Only URLs that make a key are remembered (junk params never do), and the map
 * starts over when full: a scan of distinct URLs costs the key build it would cost anyway.
 */
export class KeyMemo {
  private readonly keys = new Map<string, BuiltKey>();

  constructor(
    private readonly varyHeaders: readonly string[],
    private readonly capacity = KEY_MEMO_SIZE,
  ) {}

  /** The memo key of a request: its URL, plus the vary header values when the route has any. */
  of(url: string, headers: Record<string, string | string[] | undefined>): string {
    if (this.varyHeaders.length === 0) {
      return url;
    }
    let memoKey = url;
    for (const name of this.varyHeaders) {
      const value = headers[name];
      memoKey += `\n${Array.isArray(value) ? value.join(',') : (value ?? '')}`;
    }
    return memoKey;
  }

  get(memoKey: string): BuiltKey | undefined {
    return this.keys.get(memoKey);
  }

  set(memoKey: string, built: BuiltKey): void {
    if (this.keys.size >= this.capacity) {
      this.keys.clear();
    }
    this.keys.set(memoKey, built);
  }

  get size(): number {
    return this.keys.size;
  }
}

const joinPath = (...parts: string[]): string =>
  `/${parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;

/**
 * Finds the routes whose hits may be answered before Nest's pipeline: `@Public()` routes without
 * `@Roles()` whose `@CacheResponse` says `scope: 'public'` explicitly. For a request without
 * credentials on such a route the guard lets it through and the interceptor would answer the
 * same entry, so the Fastify hook can answer it a few tens of microseconds earlier.
 */
export function discoverFastRoutes(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
  cache: ResponseCacheService,
): Map<string, FastRoute> {
  const routes = new Map<string, FastRoute>();
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    const controller = wrapper.metatype as (abstract new (...args: never[]) => unknown) | null;
    if (!instance || !controller) {
      continue;
    }
    const prefix = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
    const prototype = Object.getPrototypeOf(instance) as Record<string, Handler>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const raw = reflector.getAllAndOverride<CacheResponseOptions | undefined>(
        CACHE_RESPONSE_OPTIONS,
        [handler, controller],
      );
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (!raw || method !== RequestMethod.GET || path === undefined) {
        continue;
      }
      const options = cache.resolve(raw);
      const access = routeAccess(reflector, handler, controller);
      if (
        !options.enabled ||
        options.scope !== 'public' ||
        !options.scopeExplicit ||
        !access.isPublic ||
        access.roles
      ) {
        continue;
      }
      const allowedQuery = options.queryParams
        ? new Set(options.queryParams)
        : documentedQueryParams(prototype, handler);
      for (const each of Array.isArray(path) ? path : [path]) {
        routes.set(joinPath(prefix, each).replace(/\/$/, '') || '/', {
          options,
          allowedQuery,
          keys: new KeyMemo(options.varyHeaders.map((name) => name.toLowerCase())),
        });
      }
    }
  }
  return routes;
}

/**
 * A `preHandler` hook that answers fresh hits (L1, then Redis) of fast routes for requests
 * without credentials; everything else (misses, stale entries, credentials, undeclared params)
 * goes on to Nest, where the interceptor does the full work (single-flight, SWR, grace).
 */
export function registerFastPath(
  fastify: FastifyInstance,
  routes: Map<string, FastRoute>,
  engine: CacheEngine,
  cache: ResponseCacheService,
): void {
  if (routes.size === 0) {
    return;
  }
  fastify.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return;
    }
    const url = request.routeOptions.url;
    const route = url === undefined ? undefined : routes.get(url);
    if (
      !route ||
      request.headers.authorization !== undefined ||
      request.headers.cookie !== undefined
    ) {
      return;
    }
    const memoKey = route.keys.of(request.url, request.headers);
    let built = route.keys.get(memoKey);
    if (!built) {
      const inputs = keyInputsOf(request);
      if (
        route.options.includeQueryParams &&
        cache.keys.hasUnknownParams(inputs, route.options, route.allowedQuery)
      ) {
        return;
      }
      built = cache.keys.build(inputs, route.options, route.allowedQuery);
      route.keys.set(memoKey, built);
    }
    const { key, tags } = built;
    let entry = engine.peekFresh(key);
    let outcome: 'HIT' | 'STALE' = 'HIT';
    if (!entry) {
      // After a bus reconnect: a copy whose refresh is under way is served stale from here.
      entry = engine.peekRevalidating(key);
      if (entry) {
        outcome = 'STALE';
      } else {
        entry = await engine.peekL2Fresh(key, tags);
      }
    }
    if (!entry) {
      return;
    }
    markOutcome(reply, outcome, cache.xCacheHeader);
    return reply.send(writeEntry(request, reply, entry, route.options, engine));
  });
}
