import type { CacheEntry } from './cache-entry';

/** How a lookup was answered (the value of `X-Cache`). */
export type CacheOutcome = 'HIT' | 'MISS' | 'STALE' | 'BYPASS';

/** Storage policy of one request. */
export interface CachePolicy {
  compress: boolean;
  compressionThreshold: number;
  lock: boolean;
}

/** What the loader (the route handler) produced. `entry` undefined: not cacheable. */
export interface LoadResult<T> {
  entry?: CacheEntry;
  /** The handler's own result, returned unchanged when the response is not cacheable. */
  passthrough?: T;
}

/** The answer of `CacheEngine.getOrLoad`. */
export interface CacheAnswer<T> {
  outcome: CacheOutcome;
  entry?: CacheEntry;
  passthrough?: T;
}

/** A loader receives the tag versions to store with its entry (read before it runs). */
export type Loader<T> = (tagVersions: Record<string, number>) => Promise<LoadResult<T>>;

/**
 * What L2 holds for a key: the entry when it is still valid, and the current versions of the
 * requested tags. Both undefined while Redis is unavailable (versions unknown).
 */
export interface L2Read {
  entry?: CacheEntry;
  versions?: Record<string, number>;
}

/** Limits of one engine, from `CACHING__*`. */
export interface EngineSettings {
  /** Entries with a larger body are neither stored nor decoded. */
  maxEntryBytes: number;
  /** Lifetime of the fleet lock on a cold key (`CACHING__LOCK_TTL_MS`). */
  lockTtlMs: number;
}
