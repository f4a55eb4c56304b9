const MAX_STRING_BYTES = 0xffff;

/** Bytes of a length-prefixed (u16) UTF-8 string of an entry header. */
export function stringBytes(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > MAX_STRING_BYTES) {
    throw new RangeError(`cache entry header field over ${MAX_STRING_BYTES} bytes`);
  }
  const out = Buffer.allocUnsafe(2 + bytes.length);
  out.writeUInt16BE(bytes.length, 0);
  bytes.copy(out, 2);
  return out;
}

/** Bytes of a count (u16) of the pairs that follow. */
export function countBytes(count: number): Buffer {
  const out = Buffer.allocUnsafe(2);
  out.writeUInt16BE(count, 0);
  return out;
}

/** A cursor over a header; every read is bounds-checked (a truncated value reads as a miss). */
export class HeaderReader {
  constructor(
    private readonly raw: Buffer,
    public offset: number,
  ) {}

  count(): number | undefined {
    if (this.offset + 2 > this.raw.length) {
      return undefined;
    }
    const value = this.raw.readUInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  string(): string | undefined {
    const length = this.count();
    if (length === undefined || this.offset + length > this.raw.length) {
      return undefined;
    }
    const start = this.offset;
    this.offset += length;
    return this.raw.toString('utf8', start, start + length);
  }

  /** A count, then that many (name, value) pairs; undefined when truncated. */
  pairs<T>(value: () => T | undefined): Record<string, T> | undefined {
    const count = this.count();
    if (count === undefined) {
      return undefined;
    }
    const pairs: Record<string, T> = {};
    for (let index = 0; index < count; index++) {
      const name = this.string();
      const read = name === undefined ? undefined : value();
      if (name === undefined || read === undefined) {
        return undefined;
      }
      pairs[name] = read;
    }
    return pairs;
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
