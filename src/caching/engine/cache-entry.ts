import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { countBytes, HeaderReader, stringBytes } from './entry-header';

/** A stored response: the exact bytes sent, with what HTTP needs to replay them. */
export interface CacheEntry {
  /** Uncompressed response body, sent as-is on a hit (no parse, no re-stringify). */
  body: Buffer;
  status: number;
  contentType: string;
  /** Strong ETag of the body. */
  etag: string;
  /** Epoch ms when the handler produced it. */
  createdAt: number;
  ttlMs: number;
  swrMs: number;
  graceMs: number;
  /** Tag versions seen before the handler ran; a newer version means invalidated. */
  tags: Record<string, number>;
  /** The stored gzip bytes, when the entry was stored compressed (sent as-is to gzip clients). */
  gzip?: Buffer;
  /** Representation headers replayed with the body (e.g. `link`), by lower-case name. */
  headers?: Record<string, string>;
}

const MAGIC = 0xca;
/**
 * Format 3: format 2 plus representation headers after the tag versions. Format 2 (no headers)
 * still reads; format 1 was a JSON header (parsing it cost ~4 µs per Redis hit).
 */
const FORMAT = 3;
const HEADERLESS_FORMAT = 2;
const ALREADY_COMPRESSED =
  /^(image\/(?!svg)|video\/|audio\/|application\/(zip|gzip|x-gzip|zstd|octet-stream))/;
/** magic, format, status (u16), compressed (u8), then createdAt, ttl, swr, grace (f64 each). */
const FIXED_BYTES = 2 + 2 + 1 + 4 * 8;

/** Strong ETag from the body bytes (identical on every instance for the same entry). */
export function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/**
 * Serializes an entry for Redis: a binary header (fixed fields, then content type, ETag, tag
 * versions and headers as length-prefixed strings) followed by the body, gzipped when it is above
 * the threshold, not already compressed, and the result is smaller. No JSON on the hit path.
 */
export function encodeEntry(entry: CacheEntry, compress: boolean, threshold: number): Buffer {
  let body: Buffer;
  let z: 0 | 1 = 0;
  if (entry.gzip && compress) {
    // Already compressed when it came from Redis (the fleet lock hands entries around).
    body = entry.gzip;
    z = 1;
  } else {
    body = entry.body;
  }
  if (!z && compress && body.length > threshold && !ALREADY_COMPRESSED.test(entry.contentType)) {
    const gzipped = gzipSync(body, { level: 6 });
    if (gzipped.length < body.length) {
      body = gzipped;
      z = 1;
    }
  }
  const fixed = Buffer.allocUnsafe(FIXED_BYTES);
  fixed.writeUInt8(MAGIC, 0);
  fixed.writeUInt8(FORMAT, 1);
  fixed.writeUInt16BE(entry.status, 2);
  fixed.writeUInt8(z, 4);
  fixed.writeDoubleBE(entry.createdAt, 5);
  fixed.writeDoubleBE(entry.ttlMs, 13);
  fixed.writeDoubleBE(entry.swrMs, 21);
  fixed.writeDoubleBE(entry.graceMs, 29);
  const tags = Object.entries(entry.tags);
  const parts = [fixed, stringBytes(entry.contentType), stringBytes(entry.etag)];
  parts.push(countBytes(tags.length));
  for (const [tag, version] of tags) {
    const versionBytes = Buffer.allocUnsafe(8);
    versionBytes.writeDoubleBE(version, 0);
    parts.push(stringBytes(tag), versionBytes);
  }
  const headers = Object.entries(entry.headers ?? {});
  parts.push(countBytes(headers.length));
  for (const [name, value] of headers) {
    parts.push(stringBytes(name), stringBytes(value));
  }
  parts.push(body);
  return Buffer.concat(parts);
}

/**
 * Reads an entry written by {@link encodeEntry} (or by the format 2 of earlier releases, which
 * kept no headers); undefined for anything else (an older format, a foreign or truncated value),
 * which the cache treats as a miss. Decompression is capped at `maxBytes`.
 */
export function decodeEntry(raw: Buffer, maxBytes: number): CacheEntry | undefined {
  const format = raw[1];
  if (
    raw.length < FIXED_BYTES + 6 ||
    raw[0] !== MAGIC ||
    (format !== FORMAT && format !== HEADERLESS_FORMAT)
  ) {
    return undefined;
  }
  const reader = new HeaderReader(raw, FIXED_BYTES);
  const contentType = reader.string();
  const etag = contentType === undefined ? undefined : reader.string();
  const tags = etag === undefined ? undefined : reader.pairs(() => reader.double());
  // Format 2 (earlier releases) ends its header with the tag versions.
  const headers = tags && (format === FORMAT ? reader.pairs(() => reader.string()) : {});
  if (contentType === undefined || etag === undefined || !tags || !headers) {
    return undefined;
  }
  const stored = raw.subarray(reader.offset);
  const entry: CacheEntry = {
    body: stored,
    status: raw.readUInt16BE(2),
    contentType,
    etag,
    createdAt: raw.readDoubleBE(5),
    ttlMs: raw.readDoubleBE(13),
    swrMs: raw.readDoubleBE(21),
    graceMs: raw.readDoubleBE(29),
    tags,
  };
  if (Object.keys(headers).length > 0) {
    entry.headers = headers;
  }
  if (raw[4] === 0) {
    return entry;
  }
  // gzip's trailer holds the uncompressed size: refuse a body over the cap before inflating it.
  if (stored.length < 18 || stored.readUInt32LE(stored.length - 4) > maxBytes) {
    return undefined;
  }
  // Inflated on first use only: a client that accepts gzip gets the stored bytes as they are.
  entry.gzip = stored;
  let body: Buffer | undefined;
  return Object.defineProperty(entry, 'body', {
    enumerable: true,
    get: () => (body ??= gunzipSync(stored, { maxOutputLength: maxBytes })),
  });
}

/** Freshness of an entry at `now`. */
export function freshness(entry: CacheEntry, now: number): 'fresh' | 'stale' | 'grace' | 'expired' {
  const age = now - entry.createdAt;
  if (age < entry.ttlMs) {
    return 'fresh';
  }
  if (age < entry.ttlMs + entry.swrMs) {
    return 'stale';
  }
  if (age < entry.ttlMs + entry.graceMs) {
    return 'grace';
  }
  return 'expired';
}
