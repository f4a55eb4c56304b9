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

/** Sets `X-Cache` when it is enabled. */
export function markOutcome(reply: FastifyReply, outcome: CacheOutcome, enabled: boolean): void {
  if (enabled) {
    void reply.header(X_CACHE_HEADER, outcome);
  }
}

/**
 * Writes the HTTP semantics of a cached entry (its stored headers, content type, ETag, Age,
 * Cache-Control, Vary, Content-Encoding) and returns the bytes to send. An entry stored compressed goes to a
 * gzip-accepting client as stored: no inflate, fewer bytes on the wire.
 */
export function writeEntry(
  request: FastifyRequest,
  reply: FastifyReply,
  entry: CacheEntry,
  options: ResolvedCacheOptions,
  store: Pick<ResponseStore, 'countNotModified'>,
): Buffer {
  if (entry.headers) {
    for (const name in entry.headers) {
      void reply.header(name, entry.headers[name]);
    }
  }
  const gzip =
    entry.gzip !== undefined && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
  const etag = gzip ? `${entry.etag.slice(0, -1)}-gzip"` : entry.etag;
  const age = Math.max(0, Math.floor((Date.now() - entry.createdAt) / 1000));
  void reply
    .header('content-type', entry.contentType)
    .header('etag', etag)
    .header('age', String(age));
  if (gzip) {
    void reply.header('content-encoding', 'gzip');
  }
  const vary = options.compress ? [...options.varyHeaders, 'Accept-Encoding'] : options.varyHeaders;
  if (options.scope === 'user') {
    void reply.header('cache-control', 'private, no-cache');
    void reply.header('vary', ['Authorization', ...vary].join(', '));
  } else {
    const directives = [`public`, `max-age=${Math.max(0, options.ttl - age)}`];
    if (options.staleWhileRevalidate) {
      directives.push(`stale-while-revalidate=${options.staleWhileRevalidate}`);
    }
    if (options.grace) {
      directives.push(`stale-if-error=${options.grace}`);
    }
    void reply.header('cache-control', directives.join(', '));
    if (vary.length) {
      void reply.header('vary', vary.join(', '));
    }
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
