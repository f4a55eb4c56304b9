import type { Logger } from '@nestjs/common';
import { CacheEntry, freshness } from './cache-entry';
import type { CachePolicy, Loader } from './cache-types';
import type { L1Cache } from './l1-cache';
import type { SingleFlight } from './single-flight';

/**
 * Most background refreshes of distrusted L1 entries (after a bus reconnect) at once; past it the
 * stale copy is served without starting another. Kept small on purpose: handlers are mostly CPU on
 * the same event loop as the hits, and eight of them finishing together stalled every hit behind
 * them (p99 0.5-1.5 s for a second after Redis returned, 55 hot keys, 2 cores); two at a time
 * interleave with the hits (see also {@link REVALIDATION_PAUSE_MS}).
 */
export const MAX_REVALIDATIONS = 2;

/**
 * How long a revalidation slot stays taken after its refresh ends. Two slots alone still ran the
 * 55 refreshes back to back in ~250 ms of solid CPU after a Redis restart (p99 50-107 ms against a
 * steady 11-15 ms); with the pause each slot refreshes at most ~20 keys a second (~20% of a core
 * at ~4 ms a refresh), the hits keep the loop, and the distrusted copies are served meanwhile.
 */
export const REVALIDATION_PAUSE_MS = 40;

/**
 * Loads that run while a stale copy is served: one refresh per key of a stale L2 entry
 * (stale-while-revalidate), and the bounded revalidation of distrusted L1 entries.
 */
export class BackgroundRefresh {
  private readonly refreshing = new Set<string>();
  private revalidations = 0;

  constructor(
    private readonly l1: L1Cache,
    private readonly flight: SingleFlight,
    private readonly logger: Logger,
  ) {}

  /**
   * Whether a distrusted copy of the key may be served without starting anything: its refresh
   * runs already, or the most revalidations run.
   */
  servesStale(key: string): boolean {
    return this.refreshing.has(key) || this.revalidations >= MAX_REVALIDATIONS;
  }

  /**
   * The L1 copy of a key that awaits revalidation, when it may be served meanwhile: fresh by its
   * TTL and not known to be invalidated. Known means Redis holds a newer version of one of its
   * tags; an unknown version (stored without Redis, or Redis unreachable) or an older one (Redis
   * lost its data) proves nothing, and the refresh settles it. A known-invalidated copy is dropped.
   */
  distrustedCopy(
    key: string,
    versions: Record<string, number> | undefined,
    now: number,
  ): CacheEntry | undefined {
    const local = this.l1.get(key, now);
    if (!local || this.l1.isTrusted(key) || freshness(local, now) !== 'fresh') {
      return undefined;
    }
    for (const [tag, version] of Object.entries(local.tags)) {
      const current = versions?.[tag];
      if (current !== undefined && version >= 0 && current > version) {
        this.l1.delete(key);
        return undefined;
      }
    }
    return local;
  }

  /** One background load of a stale entry's key (SWR), unless one runs already. */
  refresh<T>(
    key: string,
    tags: string[],
    policy: CachePolicy,
    loader: Loader<T>,
    versions: Record<string, number> | undefined,
  ): void {
    if (!this.refreshing.has(key) && !this.flight.isLoading(key)) {
      this.start(key, this.flight.load(key, tags, policy, loader, versions), 'background refresh');
    }
  }

  /**
   * One background refresh of a distrusted entry, within {@link MAX_REVALIDATIONS} slots, each
   * held {@link REVALIDATION_PAUSE_MS} past its refresh.
   */
  revalidate<T>(
    key: string,
    tags: string[],
    policy: CachePolicy,
    loader: Loader<T>,
    versions: Record<string, number> | undefined,
  ): void {
    if (this.refreshing.has(key) || this.flight.isLoading(key)) {
      return;
    }
    if (this.revalidations >= MAX_REVALIDATIONS) {
      return; // a later request for this key starts its refresh
    }
    this.revalidations++;
    const load = this.flight.load(key, tags, policy, loader, versions).then((result) => {
      // Not cacheable any more: the old copy must not be served again.
      if (!result.entry && !this.l1.isTrusted(key)) {
        this.l1.delete(key);
      }
    });
    this.start(key, load, 'revalidation', () =>
      setTimeout(() => this.revalidations--, REVALIDATION_PAUSE_MS).unref(),
    );
  }

  /** Marks the key as refreshing until `load` settles; a failure is logged, never thrown. */
  private start(key: string, load: Promise<unknown>, what: string, settled?: () => void): void {
    this.refreshing.add(key);
    load
      .catch((error: Error) => this.logger.warn(`${what} failed: ${error.message}`))
      .finally(() => {
        this.refreshing.delete(key);
        settled?.();
      });
  }
}
