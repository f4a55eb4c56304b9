import { CacheEntry, freshness } from './cache-entry';
import type { CacheKeyspace } from './keyspace';
import { ignoreUnavailable, L2Unavailable } from './l2-unavailable.error';
import type { RedisL2 } from './redis-l2';
import type { TieredStore } from './tiered-store';

/**
 * Polls of L2 while another instance holds the lock: 2 ms, doubling to 20 ms. Most fills are a few
 * ms of database work, so a fixed 20 ms made the waiting pods answer up to 20 ms after the holder
 * (cross-pod p99 after a write: 51 ms in `npm run fleet`); each waiting pod polls once per key.
 */
const FIRST_POLL_MS = 2;
const MAX_POLL_MS = 20;

/**
 * The Redis lock that lets one instance of the fleet load a cold key while the others poll L2
 * for its entry. Every failure of Redis means "load it yourself": the lock never blocks a request
 * longer than its TTL.
 */
export class FleetLock {
  constructor(
    private readonly l2: RedisL2,
    private readonly tiers: TieredStore,
    private readonly keyspace: CacheKeyspace,
    /** This instance's lock token. */
    private readonly origin: string,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * Takes the fleet lock for a cold key, or waits (polling L2) for the instance that holds it to
   * store the entry. Returns the entry when another instance produced it; undefined means "load it
   * yourself" (lock taken, Redis unavailable, or the holder did not finish within the lock TTL).
   */
  async waitForLockHolder(key: string, tags: string[]): Promise<CacheEntry | undefined> {
    const lockKey = this.keyspace.lockKey(key);
    const lockTtlMs = this.ttlMs;
    const deadline = this.now() + lockTtlMs;
    let pollMs = FIRST_POLL_MS;
    try {
      for (;;) {
        if (await this.l2.tryLock(lockKey, this.origin, lockTtlMs)) {
          // The previous holder may have stored the entry just before it released the lock.
          const { entry } = await this.tiers.readL2(key, tags);
          if (entry && freshness(entry, this.now()) === 'fresh') {
            await ignoreUnavailable(this.l2.unlock(lockKey, this.origin));
            return entry;
          }
          return undefined;
        }
        if (this.now() >= deadline) {
          return undefined;
        }
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        pollMs = Math.min(MAX_POLL_MS, pollMs * 2);
        const { entry } = await this.tiers.readL2(key, tags);
        if (entry && freshness(entry, this.now()) === 'fresh') {
          return entry;
        }
      }
    } catch (error) {
      if (!(error instanceof L2Unavailable)) {
        throw error;
      }
    }
    return undefined;
  }

  /** Releases the lock if this instance still holds it (a lock past its TTL may be another's). */
  release(key: string): Promise<void | undefined> {
    return ignoreUnavailable(this.l2.unlock(this.keyspace.lockKey(key), this.origin));
  }
}
