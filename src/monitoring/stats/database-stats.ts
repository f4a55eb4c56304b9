import { Injectable, OnModuleInit } from '@nestjs/common';
import { DatabasePool } from '../../persistence';
import { DatabaseMetrics } from '../metrics/database-metrics';
import { PerformanceStatsRegistry } from './performance-stats.registry';

/** Registers the `database` section and the `database_pool` summary. */
@Injectable()
export class DatabaseStats implements OnModuleInit {
  constructor(
    private readonly registry: PerformanceStatsRegistry,
    private readonly pool: DatabasePool,
    private readonly metrics: DatabaseMetrics,
  ) {}

  onModuleInit(): void {
    this.registry.register({
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
