import type { FastifyReply, FastifyRequest } from 'fastify';
import { ResolvedCacheOptions } from '../cache-options';
import { X_CACHE_HEADER } from '../caching.constants';
import { CacheEntry } from '../engine/cache-entry';
import type { CacheOutcome } from '../engine/cache-types';
import { CacheStats } from '../engine/cache-stats';

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
 * Writes the HTTP semantics of a cached entry (content type, ETag, Age, Cache-Control, Vary,
 * Content-Encoding) and returns the bytes to send. An entry stored compressed goes to a
 * gzip-accepting client as stored: no inflate, fewer bytes on the wire.
 */
export function writeEntry(
  request: FastifyRequest,
  reply: FastifyReply,
  entry: CacheEntry,
  options: ResolvedCacheOptions,
  stats: CacheStats,
): Buffer {
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
    stats.notModified++;
  }
  return gzip && entry.gzip ? entry.gzip : entry.body;
}
