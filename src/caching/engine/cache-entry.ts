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

const MAGIC = 0xca;
/** Format 2: binary header (format 1 was a JSON header: parsing it cost ~4 µs per Redis hit). */
const FORMAT = 2;
const ALREADY_COMPRESSED =
  /^(image\/(?!svg)|video\/|audio\/|application\/(zip|gzip|x-gzip|zstd|octet-stream))/;
/** magic, format, status (u16), compressed (u8), then createdAt, ttl, swr, grace (f64 each). */
const FIXED_BYTES = 2 + 2 + 1 + 4 * 8;
const MAX_STRING_BYTES = 0xffff;

/** Strong ETag from the body bytes (identical on every instance for the same entry). */
export function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url')}"`;
}

/** Bytes of a length-prefixed (u16) UTF-8 string. */
function stringBytes(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > MAX_STRING_BYTES) {
    throw new RangeError(`cache entry header field over ${MAX_STRING_BYTES} bytes`);
  }
  const out = Buffer.allocUnsafe(2 + bytes.length);
  out.writeUInt16BE(bytes.length, 0);
  bytes.copy(out, 2);
  return out;
}

/**
 * Serializes an entry for Redis: a binary header (fixed fields, then content type, ETag and tag
 * versions as length-prefixed strings) followed by the body, gzipped when it is above the
 * threshold, not already compressed, and the result is smaller. No JSON on the hit path.
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
  const count = Buffer.allocUnsafe(2);
  count.writeUInt16BE(tags.length, 0);
  const parts = [fixed, stringBytes(entry.contentType), stringBytes(entry.etag), count];
  for (const [tag, version] of tags) {
    const versionBytes = Buffer.allocUnsafe(8);
    versionBytes.writeDoubleBE(version, 0);
    parts.push(stringBytes(tag), versionBytes);
  }
  parts.push(body);
  return Buffer.concat(parts);
}

/** A cursor over a header; every read is bounds-checked (a truncated value reads as a miss). */
class HeaderReader {
  constructor(
    private readonly raw: Buffer,
    public offset: number,
  ) {}

  string(): string | undefined {
    if (this.offset + 2 > this.raw.length) {
      return undefined;
    }
    const length = this.raw.readUInt16BE(this.offset);
    const start = this.offset + 2;
    if (start + length > this.raw.length) {
      return undefined;
    }
    this.offset = start + length;
    return this.raw.toString('utf8', start, start + length);
  }

  double(): number | undefined {
    if (this.offset + 8 > this.raw.length) {
      return undefined;
    }
    const value = this.raw.readDoubleBE(this.offset);
    this.offset += 8;
    return value;
  }
}

/**
 * Reads an entry written by {@link encodeEntry}; undefined for anything else (an old format, a
 * foreign or truncated value), which the cache treats as a miss. Decompression is capped at
 * `maxBytes`.
 */
export function decodeEntry(raw: Buffer, maxBytes: number): CacheEntry | undefined {
  if (raw.length < FIXED_BYTES + 6 || raw[0] !== MAGIC || raw[1] !== FORMAT) {
    return undefined;
  }
  const reader = new HeaderReader(raw, FIXED_BYTES);
  const contentType = reader.string();
  const etag = reader.string();
  if (contentType === undefined || etag === undefined || reader.offset + 2 > raw.length) {
    return undefined;
  }
  const tagCount = raw.readUInt16BE(reader.offset);
  reader.offset += 2;
  const tags: Record<string, number> = {};
  for (let index = 0; index < tagCount; index++) {
    const tag = reader.string();
    const version = reader.double();
    if (tag === undefined || version === undefined) {
      return undefined;
    }
    tags[tag] = version;
  }
  const stored = raw.subarray(reader.offset);
  const status = raw.readUInt16BE(2);
  const createdAt = raw.readDoubleBE(5);
  const ttlMs = raw.readDoubleBE(13);
  const swrMs = raw.readDoubleBE(21);
  const graceMs = raw.readDoubleBE(29);
  if (raw[4] === 0) {
    return { body: stored, status, contentType, etag, createdAt, ttlMs, swrMs, graceMs, tags };
  }
  // gzip's trailer holds the uncompressed size: refuse a body over the cap before inflating it.
  if (stored.length < 18 || stored.readUInt32LE(stored.length - 4) > maxBytes) {
    return undefined;
  }
  // Inflated on first use only: a client that accepts gzip gets the stored bytes as they are.
  let body: Buffer | undefined;
  const entry = { status, contentType, etag, createdAt, ttlMs, swrMs, graceMs, tags, gzip: stored };
  return Object.defineProperty(entry as CacheEntry, 'body', {
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
