import type { FastifyReply, FastifyRequest } from 'fastify';
import { ResolvedCacheOptions } from '../cache-options';
import { X_CACHE_HEADER } from '../caching.constants';
import { CacheEntry, etagOf } from '../engine/cache-entry';
import type { CacheOutcome, LoadResult } from '../engine/cache-types';
import type { ResponseStore } from './response-store';

const JSON_TYPE = 'application/json; charset=utf-8';
/**
 * Headers that describe the representation, stored with the body and replayed on hits (e.g. the
 * `Link` of a paginated list). Nothing about the exchange or the client (`Set-Cookie` never).
 */
const REPRESENTATION_HEADERS = ['link', 'content-language', 'content-location'] as const;

/** RFC 9110 `If-None-Match` comparison (weak comparison, `*` matches any). */
export function ifNoneMatch(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) {
    return false;
  }
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') {
    return true;
  }
  const opaque = etag.replace(/^W\//, '');
  return value.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}

/**
 * Where response headers go: a Fastify reply, or an HTTP edge exchange (`EdgeExchange#header` has
 * the same signature), so the fast path and the edge write the same headers.
 */
export interface HeaderTarget {
  header(name: string, value: string): unknown;
}

/** Sets `X-Cache` when it is enabled. */
export function markOutcome(reply: HeaderTarget, outcome: CacheOutcome, enabled: boolean): void {
  if (enabled) {
    void reply.header(X_CACHE_HEADER, outcome);
  }
}

/** The `Cache-Control` and `Vary` of a route's entries: fixed per route, built once. */
interface RouteHeaders {
  cacheControl: string;
  vary?: string;
}

const routeHeadersMemo = new WeakMap<ResolvedCacheOptions, RouteHeaders>();

/**
 * `Cache-Control` and `Vary` for a route's options. `max-age` is the route's TTL, not what is left
 * of it: the entry's age goes in `Age`, and a downstream cache subtracts it (RFC 9111 4.2.3).
 * Sending both a reduced `max-age` and `Age` would count the age twice.
 */
export function routeHeaders(options: ResolvedCacheOptions): RouteHeaders {
  let headers = routeHeadersMemo.get(options);
  if (headers === undefined) {
    const vary = options.compress
      ? [...options.varyHeaders, 'Accept-Encoding']
      : options.varyHeaders;
    if (options.scope === 'user') {
      headers = { cacheControl: 'private, no-cache', vary: ['Authorization', ...vary].join(', ') };
    } else {
      const directives = ['public', `max-age=${options.ttl}`];
      if (options.staleWhileRevalidate) {
        directives.push(`stale-while-revalidate=${options.staleWhileRevalidate}`);
      }
      if (options.grace) {
        directives.push(`stale-if-error=${options.grace}`);
      }
      headers = { cacheControl: directives.join(', ') };
      if (vary.length) {
        headers.vary = vary.join(', ');
      }
    }
    routeHeadersMemo.set(options, headers);
  }
  return headers;
}

/**
 * Writes the HTTP semantics of a cached entry (its stored headers, content type, ETag, Age,
 * Cache-Control, Vary, Content-Encoding) and returns the bytes to send. An entry stored compressed goes to a
 * gzip-accepting client as stored: no inflate, fewer bytes on the wire.
 */
export function writeEntry(
  request: Pick<FastifyRequest, 'headers'>,
  reply: HeaderTarget,
  entry: CacheEntry,
  options: ResolvedCacheOptions,
  store: Pick<ResponseStore, 'countNotModified'>,
): Buffer {
  if (entry.headers) {
    for (const name in entry.headers) {
      reply.header(name, entry.headers[name]);
    }
  }
  const gzip =
    entry.gzip !== undefined && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const etag = gzip ? `${entry.etag.slice(0, -1)}-gzip"` : entry.etag;
  const age = Math.max(0, Math.floor((Date.now() - entry.createdAt) / 1000));
  const { cacheControl, vary } = routeHeaders(options);
  reply.header('content-type', entry.contentType);
  reply.header('etag', etag);
  reply.header('age', String(age));
  reply.header('cache-control', cacheControl);
  if (gzip) {
    reply.header('content-encoding', 'gzip');
  }
  if (vary !== undefined) {
    reply.header('vary', vary);
  }
  if (ifNoneMatch(request.headers['if-none-match'], etag)) {
    store.countNotModified();
  }
  return gzip && entry.gzip ? entry.gzip : entry.body;
}

/**
 * The entry of a handler's result, or the result as a passthrough when the response may not be
 * shared: not a 2xx (or a 206), no body, a Set-Cookie, or `Cache-Control: no-store / private`.
 */
export function entryOfResponse(
  value: unknown,
  reply: FastifyReply,
  status: number,
  options: ResolvedCacheOptions,
  versions: Record<string, number>,
): LoadResult<unknown> {
  const cacheControl = String(reply.getHeader('cache-control') ?? '');
  const storable =
    status >= 200 &&
    status < 300 &&
    status !== 206 &&
    value !== undefined &&
    reply.getHeader('set-cookie') === undefined &&
    !/no-store|private/.test(cacheControl);
  if (!storable) {
    return { passthrough: value };
  }
  const body = Buffer.isBuffer(value)
    ? value
    : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  const contentType = String(
    reply.getHeader('content-type') ??
      (typeof value === 'string' ? 'text/plain; charset=utf-8' : JSON_TYPE),
  );
  const entry: CacheEntry = {
    body,
    status,
    contentType,
    etag: etagOf(body),
    createdAt: Date.now(),
    ttlMs: options.ttl * 1000,
    swrMs: options.staleWhileRevalidate * 1000,
    graceMs: options.grace * 1000,
    tags: versions,
  };
  const headers = representationHeaders(reply);
  if (headers) {
    entry.headers = headers;
  }
  return { entry };
}

/** The representation headers the handler's interceptors set (e.g. `Link`), if any. */
function representationHeaders(reply: FastifyReply): Record<string, string> | undefined {
  let headers: Record<string, string> | undefined;
  for (const name of REPRESENTATION_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) {
      (headers ??= {})[name] = Array.isArray(value) ? value.join(', ') : String(value);
    }
  }
  return headers;
}
