import { AsyncResource } from 'node:async_hooks';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any function, as Node types it
type AnyFunction = (...args: any[]) => unknown;

/** Marks the replacement, so installing twice (an app per e2e spec) is a no-op. */
const FAST = Symbol('fastAsyncResourceBind');

/**
 * `AsyncResource.bind(fn, type, thisArg)` as Node defines it: a new `AsyncResource` of `type`
 * (else `fn`'s name, else `bound-anonymous-fn`) and a function that runs `fn` in its scope, with
 * the caller's `this` unless `thisArg` is given. Without the two things Node 20 adds: the
 * deprecated `asyncResource` accessor (DEP0172) and `length`.
 */
function bind<F extends AnyFunction>(fn: F, type?: string, thisArg?: unknown): F {
  const resource = new AsyncResource(type || fn.name || 'bound-anonymous-fn');
  const bound =
    thisArg === undefined
      ? function (this: unknown, ...args: Parameters<F>) {
          return resource.runInAsyncScope(fn, this, ...args);
        }
      : function (...args: Parameters<F>) {
          return resource.runInAsyncScope(fn, thisArg, ...args);
        };
  return bound as unknown as F;
}

/**
 * Replaces Node's static `AsyncResource.bind` with {@link bind} on Node before 24.
 *
 * Nest calls it once per interceptor and once more per interceptor chain on every request
 * (`InterceptorsConsumer`). On Node 20 each call costs ~7 µs (a loop of `AsyncResource.bind` on
 * this machine: 6.8-7.5 µs a call): it defines the deprecated `asyncResource` property with two
 * `util.deprecate` wrappers, each of which resets the prototype of a new function
 * (nodejs/node#58218; Node 24 stopped doing it, nodejs/node#59195; raw-body avoids the static
 * method for the same reason, stream-utils/raw-body#173). A DB page behind one interceptor paid
 * ~14 µs of ~340; with this, `/tools?size=20` at 50 connections took 281-299 µs of CPU instead of
 * 338-362, and its scavenges promoted 1.4 MB each instead of 2.5.
 *
 * The same resource, the same context and the same `this` and arguments; what is left out is the
 * `asyncResource` property (deprecated, gone in later Node versions; nothing here reads it) and
 * the bound function's `length`.
 */
export function installFastAsyncResourceBind(nodeVersion: string = process.versions.node): boolean {
  const major = Number(nodeVersion.split('.')[0]);
  const current = Reflect.get(AsyncResource, 'bind') as { [FAST]?: true };
  if (major >= 24 || current[FAST]) {
    return false;
  }
  Object.defineProperty(bind, FAST, { value: true });
  Object.defineProperty(AsyncResource, 'bind', {
    value: bind,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return true;
}
