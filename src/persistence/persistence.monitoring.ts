import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorRegistry, PerformanceStatsRegistry } from '../monitoring';
import { DatabaseHealthIndicator } from './database.health';
import { DatabaseMetrics } from './database-metrics';
import { DatabasePool } from './database-pool';
import { SchemaHealthIndicator } from './schema.health';

/**
 * What persistence contributes to monitoring: the `database` readiness check (`SELECT 1` with
 * the pool numbers) and `schema` (newest migration applied; group `database`), the `db_*`
 * metrics ({@link DatabaseMetrics}), and the `database` section and `database_pool` summary of
 * `/performance/stats` and `/health/performance`.
 */
@Injectable()
export class PersistenceMonitoring implements OnModuleInit {
  constructor(
    indicators: HealthIndicatorRegistry,
    database: DatabaseHealthIndicator,
    schema: SchemaHealthIndicator,
    private readonly stats: PerformanceStatsRegistry,
    private readonly pool: DatabasePool,
    private readonly metrics: DatabaseMetrics,
  ) {
    indicators.register({ name: 'database', indicator: database });
    indicators.register({ name: 'schema', group: 'database', indicator: schema });
  }

  onModuleInit(): void {
    this.stats.register({
      name: 'database',
      stats: () => {
        const { total, failed, slow, totalMs } = this.metrics.totals;
        return {
          pool: this.poolStats(),
          queries: {
            total,
            failed,
            slow,
            avg_ms: total > 0 ? Math.round((totalMs / total) * 100) / 100 : 0,
          },
        };
      },
      summary: { key: 'database_pool', value: () => this.poolStats() },
    });
  }

  private poolStats(): Record<string, number> {
    const stats = this.pool.stats();
    return {
      size: stats.total,
      idle: stats.idle,
      in_use: stats.inUse,
      waiting: stats.waiting,
      min: stats.min,
      max: stats.max,
      utilization_percent: Math.round((stats.inUse / Math.max(1, stats.max)) * 10000) / 100,
    };
  }
}
