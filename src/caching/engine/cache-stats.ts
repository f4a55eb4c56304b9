/** Counters of the response cache since the process started. */
export class CacheStats {
  hits = 0;
  l1Hits = 0;
  l2Hits = 0;
  misses = 0;
  staleHits = 0;
  coalesced = 0;
  bypasses = 0;
  notModified = 0;
  loaderCalls = 0;
  redisErrors = 0;
  redisTimeouts = 0;
  invalidations = 0;

  /** The guide's `get_stats()` shape plus the extra counters. */
  snapshot(): Record<string, number> {
    const total = this.hits + this.misses + this.staleHits;
    return {
      hit_rate_percent:
        total === 0 ? 0 : Math.round(((this.hits + this.staleHits) / total) * 10000) / 100,
      total_requests: total,
      hits: this.hits,
      misses: this.misses,
      l1_hits: this.l1Hits,
      l2_hits: this.l2Hits,
      stale_hits: this.staleHits,
      coalesced_waiters: this.coalesced,
      bypasses: this.bypasses,
      not_modified: this.notModified,
      loader_calls: this.loaderCalls,
      redis_errors: this.redisErrors,
      redis_timeouts: this.redisTimeouts,
      invalidations: this.invalidations,
    };
  }
}
