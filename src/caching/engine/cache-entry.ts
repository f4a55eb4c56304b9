import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

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
}

interface Header {
  s: number;
  ct: string;
  e: string;
  c: number;
  t: number;
  w: number;
  g: number;
  tg: Record<string, number>;
  z: 0 | 1;
}

const MAGIC = 0xca;
const FORMAT = 1;
const ALREADY_COMPRESSED =
  /^(image\/(?!svg)|video\/|audio\/|application\/(zip|gzip|x-gzip|zstd|octet-stream))/;

/** Strong ETag from the body bytes (identical on every instance for the same entry). */
export function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/**
 * Serializes an entry for Redis: `[magic, format, header length (u32)][JSON header][body]`, the
 * body gzipped when it is above the threshold, not already compressed, and the result is smaller.
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
  const header: Header = {
    s: entry.status,
    ct: entry.contentType,
    e: entry.etag,
    c: entry.createdAt,
    t: entry.ttlMs,
    w: entry.swrMs,
    g: entry.graceMs,
    tg: entry.tags,
    z,
  };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.allocUnsafe(6);
  prefix.writeUInt8(MAGIC, 0);
  prefix.writeUInt8(FORMAT, 1);
  prefix.writeUInt32BE(headerBytes.length, 2);
  return Buffer.concat([prefix, headerBytes, body]);
}

/**
 * Reads an entry written by {@link encodeEntry}; undefined for anything else (an old format, a
 * foreign value), which the cache treats as a miss. Decompression is capped at `maxBytes`.
 */
export function decodeEntry(raw: Buffer, maxBytes: number): CacheEntry | undefined {
  if (raw.length < 6 || raw.readUInt8(0) !== MAGIC || raw.readUInt8(1) !== FORMAT) {
    return undefined;
  }
  const headerLength = raw.readUInt32BE(2);
  let header: Header;
  try {
    header = JSON.parse(raw.subarray(6, 6 + headerLength).toString('utf8')) as Header;
  } catch {
    return undefined;
  }
  const stored = raw.subarray(6 + headerLength);
  const entry = {
    status: header.s,
    contentType: header.ct,
    etag: header.e,
    createdAt: header.c,
    ttlMs: header.t,
    swrMs: header.w,
    graceMs: header.g,
    tags: header.tg,
  };
  if (!header.z) {
    return { ...entry, body: stored };
  }
  // gzip's trailer holds the uncompressed size: refuse a body over the cap before inflating it.
  if (stored.length < 18 || stored.readUInt32LE(stored.length - 4) > maxBytes) {
    return undefined;
  }
  // Inflated on first use only: a client that accepts gzip gets the stored bytes as they are.
  let body: Buffer | undefined;
  return Object.defineProperty({ ...entry, gzip: stored } as CacheEntry, 'body', {
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
