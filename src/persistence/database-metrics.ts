import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Counter, Histogram } from 'prom-client';
import { MetricsService } from '../monitoring';
import { DatabasePool } from './database-pool';
import { databaseConfig } from './persistence.config';
import { QueryObserver } from './query-observer';

const QUERY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const KINDS = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'WITH', 'COPY', 'START', 'COMMIT']);

/** Statement totals since boot, for the `database` section of /performance/stats. */
export interface QueryTotals {
  total: number;
  failed: number;
  slow: number;
  totalMs: number;
}

/**
 * Database metrics from this module's hooks: statement durations and slow/failed counts
 * (QueryObserver), pool wait time, and `db_pool_connections{state}` read at scrape time.
 */
@Injectable()
export class DatabaseMetrics implements OnModuleInit, OnModuleDestroy {
  readonly totals: QueryTotals = { total: 0, failed: 0, slow: 0, totalMs: 0 };
  private readonly unsubscribe: Array<() => void> = [];
  private readonly duration: Histogram<'kind' | 'status'>;
  private readonly slow: Counter<'kind'>;
  private readonly poolWait: Histogram<'result'>;

  constructor(
    private readonly observer: QueryObserver,
    pool: DatabasePool,
    metrics: MetricsService,
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
  ) {
    this.duration = metrics.histogram({
      name: 'db_query_duration_seconds',
      help: 'SQL statement execution time (pool wait excluded) by statement kind',
      labelNames: ['kind', 'status'],
      buckets: QUERY_BUCKETS,
    });
    this.slow = metrics.counter({
      name: 'db_slow_queries_total',
      help: 'Statements slower than DATABASE__SLOW_QUERY_MS',
      labelNames: ['kind'],
    });
    this.poolWait = metrics.histogram({
      name: 'db_pool_acquire_wait_seconds',
      help: 'Time a request waited for a pool connection',
      labelNames: ['result'],
      buckets: QUERY_BUCKETS,
    });
    metrics.gauge({
      name: 'db_pool_connections',
      help: 'Pool connections by state (waiting = requests queued for a connection)',
      labelNames: ['state'],
      collect() {
        const stats = pool.stats();
        this.set({ state: 'idle' }, stats.idle);
        this.set({ state: 'in_use' }, stats.inUse);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });
    metrics.gauge({
      name: 'db_pool_max_connections',
      help: 'Largest number of connections the pool may open',
      collect() {
        this.set(pool.stats().max);
      },
    });
  }

  onModuleInit(): void {
    this.unsubscribe.push(
      this.observer.onQueryEnd((query) => {
        const kind = KINDS.has(query.kind) ? query.kind : 'OTHER';
        this.duration.observe(
          { kind, status: query.success ? 'ok' : 'error' },
          query.durationMs / 1000,
        );
        this.totals.total += 1;
        this.totals.totalMs += query.durationMs;
        if (!query.success) {
          this.totals.failed += 1;
        }
        if (query.durationMs > this.config.slowQueryMs) {
          this.totals.slow += 1;
          this.slow.inc({ kind });
        }
      }),
      this.observer.onAcquire((waitMs, ok) =>
        this.poolWait.observe({ result: ok ? 'ok' : 'error' }, waitMs / 1000),
      ),
    );
  }

  onModuleDestroy(): void {
    this.unsubscribe.forEach((stop) => stop());
  }
}
