import type { BuiltKey } from './cache-key.builder';

/** URLs remembered per route before the memo starts over (bounds its memory, ~200 KB). */
export const KEY_MEMO_SIZE = 1000;

/**
 * The built key of each recently seen URL of a cached route. The default key is a pure function of
 * the URL (route template, path and query params), the vary headers and, for user scope, the
 * principal, so a hit skips the canonical JSON and the SHA-256 (under load, building the key cost
 * as much as the rest of an L1 hit). Only URLs that make a key are remembered (junk params never do), and the map
 * starts over when full: a scan of distinct URLs costs the key build it would cost anyway.
 */
export class KeyMemo {
  private readonly keys = new Map<string, BuiltKey>();

  constructor(
    private readonly varyHeaders: readonly string[],
    private readonly capacity = KEY_MEMO_SIZE,
  ) {}

  /** The memo key of a request: its URL, plus the vary header values when the route has any. */
  of(url: string, headers: Record<string, string | string[] | undefined>): string {
    if (this.varyHeaders.length === 0) {
      return url;
    }
    let memoKey = url;
    for (const name of this.varyHeaders) {
      const value = headers[name];
      memoKey += `\n${Array.isArray(value) ? value.join(',') : (value ?? '')}`;
    }
    return memoKey;
  }

  get(memoKey: string): BuiltKey | undefined {
    return this.keys.get(memoKey);
  }

  set(memoKey: string, built: BuiltKey): void {
    if (this.keys.size >= this.capacity) {
      this.keys.clear();
    }
    this.keys.set(memoKey, built);
  }

  get size(): number {
    return this.keys.size;
  }
}
