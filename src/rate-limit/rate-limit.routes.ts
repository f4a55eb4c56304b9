import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { RateLimit, RateLimitOptions } from './rate-limit.decorator';

type Handler = (...args: unknown[]) => unknown;

const joinPath = (...parts: string[]): string =>
  `/${parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/')}`;

/**
 * Finds every route with `@RateLimit()` (on the handler, or on its controller) at boot, keyed
 * `METHOD /path` as Fastify names the route (`request.routeOptions.url`).
 */
export function discoverRateLimitedRoutes(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): Map<string, RateLimitOptions> {
  const routes = new Map<string, RateLimitOptions>();
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
      const options = reflector.getAllAndOverride(RateLimit, [handler, controller]);
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      if (!options || method === undefined || path === undefined) {
        continue;
      }
      const verbs = method === RequestMethod.ALL ? ['*'] : [RequestMethod[method]];
      for (const each of Array.isArray(path) ? path : [path]) {
        const url = joinPath(prefix, each).replace(/\/$/, '') || '/';
        for (const verb of verbs) {
          routes.set(`${verb} ${url}`, options);
        }
      }
    }
  }
  return routes;
}
