import type { FastifyReply, FastifyRequest } from 'fastify';
import { resolveCacheOptions } from '../cache-options';
import { cachingConfig } from '../caching.config';
import type { CacheEntry } from '../engine/cache-entry';
import { routeHeaders, writeEntry } from './entry-response';

const optionsOf = (options: Parameters<typeof resolveCacheOptions>[0]) =>
  resolveCacheOptions(options, {}, { ...cachingConfig(), compress: false });

/** A reply that records its headers, as Fastify stores them (lower-case names). */
function recordingReply() {
  const headers: Record<string, string> = {};
  const reply = {
    header(name: string, value: string) {
      headers[name.toLowerCase()] = value;
      return reply;
    },
  };
  return { reply: reply as unknown as FastifyReply, headers };
}

const entryAged = (seconds: number): CacheEntry => ({
  body: Buffer.from('{"ok":true}'),
  status: 200,
  contentType: 'application/json; charset=utf-8',
  etag: '"abc"',
  createdAt: Date.now() - seconds * 1000 - 100,
  ttlMs: 60_000,
  swrMs: 0,
  graceMs: 0,
  tags: {},
});

describe('routeHeaders', () => {
  it('should give a public route its TTL as max-age, with its stale directives and Vary', () => {
    const headers = routeHeaders(
      optionsOf({ ttl: 60, staleWhileRevalidate: 30, grace: 600, varyHeaders: ['Accept'] }),
    );

    expect(headers).toEqual({
      cacheControl: 'public, max-age=60, stale-while-revalidate=30, stale-if-error=600',
      vary: 'Accept',
    });
  });

  it('should add Accept-Encoding to Vary when entries are compressed', () => {
    const options = resolveCacheOptions({ ttl: 10, compress: true }, {}, cachingConfig());

    expect(routeHeaders(options).vary).toBe('Accept-Encoding');
  });

  it('should keep user-scoped entries private and vary them on Authorization', () => {
    const headers = routeHeaders(optionsOf({ ttl: 60, scope: 'user', varyHeaders: ['Accept'] }));

    expect(headers).toEqual({ cacheControl: 'private, no-cache', vary: 'Authorization, Accept' });
  });

  it('should build the headers of a route once', () => {
    const options = optionsOf({ ttl: 5 });

    expect(routeHeaders(options)).toBe(routeHeaders(options));
  });
});

describe('writeEntry', () => {
  const request = { headers: {} } as FastifyRequest;
  const store = { countNotModified: jest.fn() };

  it('should send the age in Age and the full TTL in max-age, so a downstream cache counts the age once', () => {
    const { reply, headers } = recordingReply();

    const body = writeEntry(request, reply, entryAged(20), optionsOf({ ttl: 60 }), store);

    expect(body.toString()).toBe('{"ok":true}');
    expect(headers).toMatchObject({
      age: '20',
      'cache-control': 'public, max-age=60',
      etag: '"abc"',
      'content-type': 'application/json; charset=utf-8',
    });
    expect(headers.vary).toBeUndefined();
  });

  it('should replay the representation headers stored with the entry', () => {
    const { reply, headers } = recordingReply();
    const entry = { ...entryAged(0), headers: { link: '</items?page=2>; rel="next"' } };

    writeEntry(request, reply, entry, optionsOf({ ttl: 60 }), store);

    expect(headers.link).toBe('</items?page=2>; rel="next"');
    expect(headers.age).toBe('0');
  });
});
