import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ResolvedCacheOptions } from '../cache-options';

/** The parts of a request that make its cache key (and nothing else). */
export interface KeyInputs {
  route: string;
  params: Record<string, string>;
  query: Record<string, string | string[] | undefined>;
  /** User id for user-scoped entries; never a token. */
  userId?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** A built key and the tags of its entry. */
export interface BuiltKey {
  key: string;
  tags: string[];
}

const SAFE_SEGMENT = /[^A-Za-z0-9_.-]+/g;

/** `/agents/:id` -> `agents:id`: the default key prefix, readable in SCAN output and patterns. */
export function prefixFromRoute(route: string): string {
  return (
    route
      .split('/')
      .filter(Boolean)
      .map((segment) => segment.replace(/^:/, '').replace(SAFE_SEGMENT, '_'))
      .join(':') || 'root'
  );
}

/**
 * Builds keys as `<root>:<prefix>:<scope>:<hash>`, the hash covering the schema version, the
 * route template, path params, the allow-listed query params (sorted, so order never matters;
 * unknown and excluded params are dropped, so they never make new entries), the principal for
 * user scope and the values of vary headers.
 */
export class CacheKeyBuilder {
  constructor(
    private readonly root: string,
    private readonly schemaVersion: string,
  ) {}

  /**
   * Whether the request carries a query param that is neither allow-listed nor excluded: such a
   * request must reach the route's validation (it may be a 400) and never makes an entry.
   */
  hasUnknownParams(
    inputs: KeyInputs,
    options: ResolvedCacheOptions,
    allowedQuery: ReadonlySet<string>,
  ): boolean {
    return Object.keys(inputs.query).some(
      (name) => !allowedQuery.has(name) && !options.excludeParams.includes(name),
    );
  }

  build(
    inputs: KeyInputs,
    options: ResolvedCacheOptions,
    allowedQuery: ReadonlySet<string>,
  ): BuiltKey {
    const prefix = options.keyPrefix ?? prefixFromRoute(inputs.route);
    const query: Array<[string, string[]]> = [];
    if (options.includeQueryParams) {
      for (const name of Object.keys(inputs.query).sort()) {
        const value = inputs.query[name];
        if (
          value === undefined ||
          !allowedQuery.has(name) ||
          options.excludeParams.includes(name)
        ) {
          continue;
        }
        query.push([name, Array.isArray(value) ? value : [value]]);
      }
    }
    const params = Object.keys(inputs.params)
      .sort()
      .map((name) => [name, inputs.params[name]]);
    const vary = options.varyHeaders.map((name) => {
      const value = inputs.headers[name.toLowerCase()];
      return [name.toLowerCase(), Array.isArray(value) ? value.join(',') : (value ?? '')];
    });
    const scope = options.scope === 'user' ? `u:${inputs.userId ?? 'anonymous'}` : 'pub';
    const canonical = JSON.stringify([
      this.schemaVersion,
      inputs.route,
      params,
      query,
      vary,
      scope,
    ]);
    const hash = createHash('sha256').update(canonical).digest('base64url').slice(0, 27);
    const tags = [`route:${prefix}`, ...options.invalidatedBy.map((event) => `event:${event}`)];
    for (const tag of options.tags) {
      tags.push(tag.replace(/\{(\w+)\}/g, (_, name: string) => inputs.params[name] ?? ''));
    }
    if (options.scope === 'user' && inputs.userId) {
      tags.push(`user:${inputs.userId}`);
    }
    return { key: `${this.root}:${prefix}:${scope}:${hash}`, tags: [...new Set(tags)] };
  }
}

/** The key inputs of a Fastify request. */
export function keyInputsOf(request: FastifyRequest, userId?: string): KeyInputs {
  return {
    route: request.routeOptions.url ?? request.url.split('?')[0],
    params: (request.params ?? {}) as Record<string, string>,
    query: (request.query ?? {}) as Record<string, string | string[] | undefined>,
    userId,
    headers: request.headers,
  };
}
