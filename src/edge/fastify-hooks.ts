import type { FastifyInstance } from 'fastify';
import type { HookFunction } from './edge.types';

/** The request lifecycle hooks of Fastify 5 (`lib/hooks.js`): an edge answer skips them all. */
const LIFECYCLE_HOOKS = [
  'onTimeout',
  'onRequest',
  'preParsing',
  'preValidation',
  'preSerialization',
  'preHandler',
  'onSend',
  'onResponse',
  'onError',
  'onRequestAbort',
] as const;

const symbolNamed = (target: object, description: string): symbol | undefined =>
  Object.getOwnPropertySymbols(target).find((symbol) => symbol.description === description);

/**
 * Every request lifecycle hook on the root instance (the ones every route runs), read from
 * Fastify's `fastify.hooks` store. Undefined when that store is not where Fastify 5 keeps it:
 * the edge then stays off rather than guess what it would skip.
 */
export function rootRequestHooks(fastify: FastifyInstance): HookFunction[] | undefined {
  const key = symbolNamed(fastify, 'fastify.hooks');
  const store = key && (fastify as unknown as Record<symbol, unknown>)[key];
  if (!store || typeof store !== 'object') {
    return undefined;
  }
  const hooks: HookFunction[] = [];
  for (const name of LIFECYCLE_HOOKS) {
    const list = (store as Record<string, unknown>)[name];
    if (!Array.isArray(list)) {
      return undefined;
    }
    hooks.push(...(list as HookFunction[]));
  }
  return hooks;
}

/**
 * Whether a hook is `@fastify/middie`'s runner with no middleware to run (Nest registers middie
 * at init whether or not the app has middleware). With middleware, the edge stays off.
 */
export function isIdleMiddie(fastify: FastifyInstance, hook: HookFunction): boolean {
  if (hook.name !== 'runMiddie') {
    return false;
  }
  const key = symbolNamed(fastify, 'fastify-middie-middlewares');
  const middlewares = key && (fastify as unknown as Record<symbol, unknown>)[key];
  return Array.isArray(middlewares) && middlewares.length === 0;
}
