import { CacheEntry } from './cache-entry';

interface Slot {
  entry: CacheEntry;
  size: number;
  expiresAt: number;
  /** The trust epoch the entry was stored in; older ones must be revalidated before use. */
  epoch: number;
  /** {@link L1Cache}'s `moves` when the slot last went to the most-recently-used end. */
  movedAt: number;
}

const SLOT_OVERHEAD = 256;
/** Invalidation counters of {@link L1Cache.stamp}: keys and tags hash onto this many. */
const MARK_BUCKETS = 4096;

/** A key's or tag's invalidation counter (FNV-1a of its UTF-16 units). */
function bucketOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < name.length; index++) {
    hash = Math.imul(hash ^ name.charCodeAt(index), 0x01000193);
  }
  return (hash >>> 0) % MARK_BUCKETS;
}

/**
 * The in-process L1: an LRU bounded in bytes (body + key + a fixed overhead per entry), with a tag
 * index so a tag invalidation drops exactly the entries that carry the tag.
 */
export class L1Cache {
  private readonly slots = new Map<string, Slot>();
  private readonly byTag = new Map<string, Set<string>>();
  private bytes = 0;
  private epoch = 0;
  /** Slots stored or moved to the most-recently-used end so far. */
  private moves = 0;
  /** Invalidations applied here, per key or tag bucket; patterns and clears count in `sweeps`. */
  private readonly marks = new Uint32Array(MARK_BUCKETS);
  private sweeps = 0;
  evictions = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxTtlMs: number,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  get usedBytes(): number {
    return this.bytes;
  }

  get(key: string, now = Date.now()): CacheEntry | undefined {
    const slot = this.slots.get(key);
    if (!slot) {
      return undefined;
    }
    if (slot.expiresAt <= now) {
      this.delete(key);
      return undefined;
    }
    // Move to the most-recently-used end, unless fewer than a quarter of the slots went there
    // since it did: it is then among the newest quarter already, which evictions reach last.
    // A Map moves an entry by delete + set, and every few moves it rebuilds its table (a hit on
    // a hot key paid ~2% of its CPU for that).
    if (this.moves - slot.movedAt > this.slots.size >> 2) {
      this.slots.delete(key);
      this.slots.set(key, slot);
      slot.movedAt = ++this.moves;
    }
    return slot.entry;
  }

  set(key: string, entry: CacheEntry, now = Date.now()): void {
    const size = entry.body.length + key.length * 2 + SLOT_OVERHEAD;
    if (this.maxBytes === 0 || size > this.maxBytes / 4) {
      return;
    }
    this.delete(key);
    const lifetime = Math.min(this.maxTtlMs, entry.ttlMs + Math.max(entry.swrMs, entry.graceMs));
    this.slots.set(key, {
      entry,
      size,
      expiresAt: now + lifetime,
      epoch: this.epoch,
      movedAt: ++this.moves,
    });
    this.bytes += size;
    for (const tag of Object.keys(entry.tags)) {
      let keys = this.byTag.get(tag);
      if (!keys) {
        keys = new Set();
        this.byTag.set(tag, keys);
      }
      keys.add(key);
    }
    for (const oldest of this.slots.keys()) {
      if (this.bytes <= this.maxBytes) {
        break;
      }
      this.delete(oldest);
      this.evictions++;
    }
  }

  /**
   * A number that moves whenever this instance applies an invalidation of `key`, of one of
   * `tags`, of a pattern or of everything. Taken before a load reads its data: if it moved by the
   * time the load stores, the data may predate a write whose invalidation arrived meanwhile (it
   * found nothing to drop yet), and the copy must not be kept. Keys and tags share 4,096
   * counters, so an unrelated invalidation may cost a copy, never keep a stale one.
   */
  stamp(key: string, tags: readonly string[]): number {
    let stamp = this.sweeps + this.marks[bucketOf(key)];
    for (const tag of tags) {
      stamp += this.marks[bucketOf(tag)];
    }
    return stamp;
  }

  /**
   * Whether the entry under `key` was stored since the last {@link distrustAll} (false when there
   * is none). An untrusted entry may still be served stale while it is revalidated, never as fresh.
   */
  isTrusted(key: string): boolean {
    return this.slots.get(key)?.epoch === this.epoch;
  }

  /**
   * Marks every entry as needing revalidation, in O(1): after invalidation messages may have been
   * missed, entries are kept (served stale while one refresh per key runs) instead of all dropped
   * at once, which made every hot key miss together.
   */
  distrustAll(): void {
    this.epoch++;
  }

  /** Drops `key` as an invalidation (moves its {@link stamp}); {@link delete} is for eviction. */
  invalidate(key: string): void {
    this.marks[bucketOf(key)]++;
    this.delete(key);
  }

  delete(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) {
      return;
    }
    this.slots.delete(key);
    this.bytes -= slot.size;
    for (const tag of Object.keys(slot.entry.tags)) {
      const keys = this.byTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) {
        this.byTag.delete(tag);
      }
    }
  }

  deleteTag(tag: string): void {
    this.marks[bucketOf(tag)]++;
    for (const key of [...(this.byTag.get(tag) ?? [])]) {
      this.delete(key);
    }
  }

  deleteMatching(pattern: RegExp): void {
    this.sweeps++;
    for (const key of [...this.slots.keys()]) {
      if (pattern.test(key)) {
        this.delete(key);
      }
    }
  }

  clear(): void {
    this.sweeps++;
    this.slots.clear();
    this.byTag.clear();
    this.bytes = 0;
  }
}

/** A Redis glob (`*`, `?`, `[...]`) as an anchored RegExp, for matching L1 keys. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    source +=
      char === '*' ? '.*' : char === '?' ? '.' : /[\\^$.|+(){}]/.test(char) ? `\\${char}` : char;
  }
  return new RegExp(`^${source}$`);
}
