import { CacheEntry, decodeEntry, encodeEntry, etagOf, freshness } from './cache-entry';

const entryOf = (body: string, contentType = 'application/json; charset=utf-8'): CacheEntry => ({
  body: Buffer.from(body),
  status: 200,
  contentType,
  etag: etagOf(Buffer.from(body)),
  createdAt: 1_700_000_000_000,
  ttlMs: 300_000,
  swrMs: 10_000,
  graceMs: 60_000,
  tags: { agents: 3, 'agent:1': 0 },
});
const json = (bytes: number) =>
  JSON.stringify({ items: Array.from({ length: bytes / 40 }, (_, i) => ({ id: i, s: 'active' })) });

describe(encodeEntry.name, () => {
  it('should round-trip every field, compressed or not', () => {
    const entry = entryOf(json(4000));

    const compressed = decodeEntry(encodeEntry(entry, true, 1024), 1 << 20);
    // A compressed entry also keeps its gzip bytes, sent as-is to clients that accept gzip.
    expect({ ...compressed, gzip: undefined }).toEqual(entry);
    expect(compressed?.gzip?.length).toBeLessThan(entry.body.length);
    expect(decodeEntry(encodeEntry(entry, false, 1024), 1 << 20)).toEqual(entry);
  });

  it('should inflate a compressed body only when it is read', () => {
    const entry = entryOf(json(4000));
    const decoded = decodeEntry(encodeEntry(entry, true, 1024), 1 << 20);
    const descriptor = Object.getOwnPropertyDescriptor(decoded, 'body');
    expect(typeof descriptor?.get).toBe('function');
    expect(decoded?.body.equals(entry.body)).toBe(true);
  });

  it('should compress only bodies above the threshold', () => {
    const small = entryOf(json(800));
    const large = entryOf(json(4000));

    expect(encodeEntry(small, true, 1024).length).toBeGreaterThan(small.body.length);
    expect(encodeEntry(large, true, 1024).length).toBeLessThan(large.body.length / 2);
    expect(encodeEntry(large, true, 100_000).length).toBeGreaterThan(large.body.length);
  });

  it('should not compress already-compressed content types', () => {
    const image = entryOf('a'.repeat(5000), 'image/png');

    expect(encodeEntry(image, true, 1024).length).toBeGreaterThan(5000);
  });

  it('should give an identical strong ETag for identical bytes', () => {
    expect(etagOf(Buffer.from('x'))).toBe(etagOf(Buffer.from('x')));
    expect(etagOf(Buffer.from('x'))).not.toBe(etagOf(Buffer.from('y')));
    expect(etagOf(Buffer.from('x'))).toMatch(/^"[A-Za-z0-9_-]+"$/);
  });
});

describe(decodeEntry.name, () => {
  it('should refuse to inflate a body beyond the cap (zip bomb) and read it as a miss', () => {
    const bomb = entryOf('0'.repeat(1 << 20));
    const encoded = encodeEntry(bomb, true, 0);

    expect(encoded.length).toBeLessThan(10_000);
    expect(decodeEntry(encoded, 64 * 1024)).toBeUndefined();
    expect(decodeEntry(encoded, 1 << 20)?.body.length).toBe(1 << 20);
  });

  it('should read foreign, truncated or other-format values as a miss', () => {
    const valid = encodeEntry(entryOf('{}'), false, 0);
    const otherFormat = Buffer.from(valid);
    otherFormat.writeUInt8(1, 1); // format 1: the JSON header of earlier releases

    expect(decodeEntry(Buffer.from('{"plain":"json"}'), 1024)).toBeUndefined();
    expect(decodeEntry(valid.subarray(0, 10), 1024)).toBeUndefined();
    expect(decodeEntry(otherFormat, 1024)).toBeUndefined();
    expect(decodeEntry(valid, 1024)).toBeDefined();
  });

  it('should read a value cut anywhere inside its header as a miss', () => {
    const entry = entryOf('{}');
    const valid = encodeEntry(entry, false, 0);
    const headerBytes = valid.length - entry.body.length;

    for (let length = 0; length < headerBytes; length++) {
      expect(decodeEntry(valid.subarray(0, length), 1024)).toBeUndefined();
    }
    expect(decodeEntry(valid, 1024)).toEqual(entry);
  });

  it('should round-trip non-ASCII tags and large numbers', () => {
    const entry = {
      ...entryOf('{"ok":true}'),
      ttlMs: 400 * 24 * 3600 * 1000,
      tags: { 'user:é文': 2 ** 40, 'route:a': 0 },
    };

    expect(decodeEntry(encodeEntry(entry, false, 0), 1024)).toEqual(entry);
  });
});

describe(`${decodeEntry.name} of representation headers`, () => {
  const linked = { ...entryOf('{"items":[]}'), headers: { link: '</a?page=2>; rel="next"' } };

  it('should round-trip the headers, compressed or not', () => {
    const compressed = decodeEntry(encodeEntry(linked, true, 0), 1 << 20);

    expect(decodeEntry(encodeEntry(linked, false, 0), 1024)).toEqual(linked);
    expect(compressed?.headers).toEqual(linked.headers);
    expect(compressed?.body.toString()).toBe('{"items":[]}');
  });

  it('should read a value cut anywhere inside its headers as a miss', () => {
    const valid = encodeEntry(linked, false, 0);

    for (let length = 0; length < valid.length - linked.body.length; length++) {
      expect(decodeEntry(valid.subarray(0, length), 1024)).toBeUndefined();
    }
  });

  it('should still read a format 2 value (no headers) written by earlier releases', () => {
    const entry = entryOf('{"old":true}');
    const current = encodeEntry(entry, false, 0);
    // Format 2 is format 3 without the (u16) header count before the body.
    const countAt = current.length - entry.body.length - 2;
    const formatTwo = Buffer.concat([current.subarray(0, countAt), current.subarray(countAt + 2)]);
    formatTwo.writeUInt8(2, 1);

    expect(decodeEntry(formatTwo, 1024)).toEqual(entry);
  });
});

describe(freshness.name, () => {
  it('should be fresh, then stale (SWR), then grace, then expired', () => {
    const entry = { ...entryOf('{}'), createdAt: 0, ttlMs: 1000, swrMs: 500, graceMs: 2000 };

    expect([0, 999, 1000, 1499, 1500, 2999, 3000].map((now) => freshness(entry, now))).toEqual([
      'fresh',
      'fresh',
      'stale',
      'stale',
      'grace',
      'grace',
      'expired',
    ]);
  });
});
