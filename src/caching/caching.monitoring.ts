import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { RedisClient } from '../redis';
import { MetricsService, PerformanceStatsRegistry, ReadinessRegistry } from '../monitoring';
import { CACHE_ENGINE, CACHE_REDIS_CLIENTS } from './caching.constants';
import { CacheEngine } from './engine/cache-engine';
import { ResponseCacheService } from './response-cache.service';

/**
 * What caching contributes to monitoring: the `cache` section of `/performance/stats` (and
 * `cache_hit_rate` of `/health/performance`), the `cache` readiness check (group `redis`) and the
 * `cache_*` metrics, all read from the engine's stats at request or scrape time.
 */
@Injectable()
export class CachingMonitoring implements OnModuleInit {
  constructor(
    @Inject(CACHE_ENGINE) private readonly engine: CacheEngine,
    @Inject(CACHE_REDIS_CLIENTS) private readonly clients: RedisClient[],
    private readonly cache: ResponseCacheService,
    private readonly metrics: MetricsService,
    private readonly stats: PerformanceStatsRegistry,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    const snapshot = () => this.cache.getStats();
    // A closed breaker says nothing before the first request: also ask the connections (all
    // of them failed or lost = down; still connecting for the first time = not yet known).
    const lost = new Set(['reconnecting', 'close', 'end']);
    const redisUp = () =>
      this.engine.redisState !== 'open' && !this.clients.every((client) => lost.has(client.status));
    this.stats.register({
      name: 'cache',
      stats: () => ({ enabled: true, redis: redisUp() ? 'up' : 'degraded', ...snapshot() }),
      summary: { key: 'cache_hit_rate', value: () => snapshot().hit_rate_percent },
    });
    this.readiness.register({
      name: 'cache',
      group: 'redis',
      check: () =>
        Promise.resolve({
          up: redisUp(),
          details: { breaker: this.engine.redisState },
        }),
    });
    const counters: Array<[string, string]> = [
      ['hits', 'hit'],
      ['misses', 'miss'],
      ['stale_hits', 'stale'],
      ['bypasses', 'bypass'],
      ['coalesced_waiters', 'coalesced'],
    ];
    this.metrics.counter({
      name: 'cache_requests_total',
      help: 'Response cache lookups by result',
      labelNames: ['result'],
      collect() {
        const current = snapshot();
        this.reset();
        for (const [field, result] of counters) {
          this.inc({ result }, Number(current[field]));
        }
      },
    });
    this.metrics.counter({
      name: 'cache_redis_failures_total',
      help: 'Cache Redis calls that failed or timed out',
      labelNames: ['kind'],
      collect() {
        const current = snapshot();
        this.reset();
        this.inc({ kind: 'error' }, Number(current.redis_errors));
        this.inc({ kind: 'timeout' }, Number(current.redis_timeouts));
      },
    });
    const gauges: Array<[string, string, () => number]> = [
      [
        'cache_l1_bytes',
        'Bytes held by the in-process L1 response cache',
        () => Number(snapshot().l1_bytes),
      ],
      [
        'cache_l1_entries',
        'Entries in the in-process L1 response cache',
        () => Number(snapshot().l1_entries),
      ],
      [
        'cache_invalidations_pending',
        'Invalidated keys, tags and patterns Redis has not taken yet (retried in the background)',
        () => this.engine.pendingInvalidations,
      ],
      [
        'cache_redis_breaker_open',
        '1 while the cache runs without Redis (its breaker is open)',
        () => (this.engine.redisState === 'open' ? 1 : 0),
      ],
    ];
    for (const [name, help, read] of gauges) {
      this.metrics.gauge({
        name,
        help,
        collect() {
          this.set(read());
        },
      });
    }
  }
}
