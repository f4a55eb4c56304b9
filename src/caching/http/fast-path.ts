import { RequestMethod, type Type } from '@nestjs/common';
import {
  GUARDS_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
  VERSION_METADATA,
} from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { authorize, routeAccess, type RouteAccess, type TokenService } from '../../auth';
import { routeScope } from '../../monitoring';
import type { CacheEntry } from '../engine/cache-entry';
import type { CachePolicy } from './cache-policy';
import type { CachedRoute } from './cached-route';
import type { EdgeUrls } from './edge-responder';
import { markOutcome, writeEntry } from './entry-response';
import type { ResponseStore } from './response-store';

type Handler = (...args: unknown[]) => unknown;

/** A route the fast path may answer, with who may call it. */
export interface FastRoute {
  /** Its template (`/agents/:id`), as Fastify routes it. */
  template: string;
  route: CachedRoute;
  access: RouteAccess;
  /** A request without credentials may be answered (public route, explicitly public entry). */
  anonymous: boolean;
  /**
   * The HTTP edge may answer it by URL: an API route (not an operator one, which the management
   * port may own), not versioned (Nest routes a versioned route by a header or media type too, so
   * one URL may reach several handlers).
   */
  edge: boolean;
}

/** The routes whose hits the fast path answers (by route template), and the policy keying them. */
export interface FastRoutes {
  policy: CachePolicy;
  routes: Map<string, FastRoute>;
}

/** Guards of its own (`@UseGuards`) keep a route off the fast path: only the app's guard is known. */
function hasOwnGuards(handler: Handler, controller: Type): boolean {
  return [handler, controller].some(
    (target) => ((Reflect.getMetadata(GUARDS_METADATA, target) as unknown[]) ?? []).length > 0,
  );
}

const isVersioned = (handler: Handler, controller: Type): boolean =>
  Reflect.getMetadata(VERSION_METADATA, handler) !== undefined ||
  Reflect.getMetadata(VERSION_METADATA, controller) !== undefined;

const joinPath = (...parts: string[]): string =>
  `/${parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;

/**
 * Finds the routes whose hits may be answered before Nest's pipeline: cached GET routes with no
 * guard of their own. A request without credentials is answered on the routes the policy says so
 * of ({@link CachePolicy.answersBeforeGuards}); one with a bearer token once the app's auth rule
 * ({@link authorize}, the global guard's) passes. The interceptor would answer the same entry,
 * so the Fastify hook answers it a few tens of microseconds earlier, with or without credentials.
 */
export function discoverFastRoutes(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
  policy: CachePolicy,
): FastRoutes {
  const routes = new Map<string, FastRoute>();
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    const controller = wrapper.metatype as Type | null;
    if (!instance || !controller) {
      continue;
    }
    const prefix = (Reflect.getMetadata(PATH_METADATA, controller) as string | undefined) ?? '';
    const prototype = Object.getPrototypeOf(instance) as Record<string, Handler>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name];
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const route = policy.route(handler, controller);
      if (
        !route ||
        method !== RequestMethod.GET ||
        path === undefined ||
        hasOwnGuards(handler, controller)
      ) {
        continue;
      }
      const access = routeAccess(reflector, handler, controller);
      const anonymous = policy.answersBeforeGuards(route, access);
      const versioned = isVersioned(handler, controller);
      for (const each of Array.isArray(path) ? path : [path]) {
        const template = joinPath(prefix, each).replace(/\/$/, '') || '/';
        // Operator routes answer on the management port only when the ports are split.
        const edge = !versioned && routeScope(template) === 'api';
        routes.set(template, { template, route, access, anonymous, edge });
      }
    }
  }
  return { policy, routes };
}

/**
 * An `onRequest` hook that answers fresh hits (L1, then Redis) of fast routes, for requests without
 * credentials and for bearer tokens that pass the app's auth rule; everything else (misses, stale
 * entries, cookies, a token the guard would refuse, undeclared params, a bypass decided by the
 * interceptor's hooks) goes on to Nest, where the guard answers 401/403 and the interceptor does
 * the full work (single-flight, SWR, grace). The key is the policy's, so the app's interceptor
 * hooks are honoured here too.
 *
 * It runs as the last `onRequest` hook (see CachingLifecycle): after the ones that must see every
 * request (security headers, load shedding, rate limiting), before
 * Fastify's later stages, which a hit skips. An L1 hit is answered synchronously.
 */
export function registerFastPath(
  fastify: FastifyInstance,
  { policy, routes }: FastRoutes,
  store: ResponseStore,
  tokens?: TokenService,
  edgeUrls?: EdgeUrls,
): onRequestHookHandler | undefined {
  if (routes.size === 0) {
    return undefined;
  }
  const answer = (
    request: FastifyRequest,
    reply: FastifyReply,
    entry: CacheEntry,
    outcome: 'HIT' | 'STALE',
    route: CachedRoute,
  ) => {
    markOutcome(reply, outcome, policy.xCacheHeader);
    void reply.send(writeEntry(request, reply, entry, route.options, store));
  };
  const hook: onRequestHookHandler = (request, reply, done) => {
    const fast = fastRouteOf(request, routes, tokens);
    const built = fast && policy.earlyKey(request, reply, fast.route);
    if (!fast || !built) {
      done();
      return;
    }
    const { key, tags } = built;
    const local = store.peekFresh(key);
    if (local) {
      edgeUrls?.learn(request, fast);
      answer(request, reply, local, 'HIT', fast.route);
      return;
    }
    // After a bus reconnect: a copy whose refresh is under way is served stale from here.
    const revalidating = store.peekRevalidating(key);
    if (revalidating) {
      answer(request, reply, revalidating, 'STALE', fast.route);
      return;
    }
    store
      .peekL2Fresh(key, tags)
      .then(
        (remote) => (remote ? answer(request, reply, remote, 'HIT', fast.route) : done()),
        // A failed lookup: Nest's interceptor takes it from here, with its own error handling.
        () => done(),
      )
      // Answering threw (not the lookup): Fastify's error handler answers, unless a reply left.
      .catch((error: unknown) => {
        if (!reply.sent) {
          done(error instanceof Error ? error : new Error(String(error)));
        }
      });
  };
  fastify.addHook('onRequest', hook);
  return hook;
}

/** The fast route a request may be answered on, if any (credentials checked as the guard would). */
function fastRouteOf(
  request: FastifyRequest,
  routes: Map<string, FastRoute>,
  tokens: TokenService | undefined,
): FastRoute | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return undefined;
  }
  const url = request.routeOptions.url;
  const fast = url === undefined ? undefined : routes.get(url);
  if (!fast || request.headers.cookie !== undefined) {
    return undefined;
  }
  if (request.headers.authorization === undefined) {
    return fast.anonymous ? fast : undefined;
  }
  return tokens && passes(tokens, request, fast.access) ? fast : undefined;
}

/** Whether the app's guard would let the request through (sets `request.user` when it does). */
function passes(tokens: TokenService, request: FastifyRequest, access: RouteAccess): boolean {
  try {
    authorize(tokens, request, access, request.raw.socket);
    return true;
  } catch {
    // The guard refuses it again in Nest, with its status and message.
    request.user = undefined;
    return false;
  }
}
