import { Module } from '@nestjs/common';
import { ShutdownState, StartupState } from './health/lifecycle-state';
import { ReadinessRegistry } from './health/readiness.registry';
import { MetricsService } from './metrics/metrics.service';
import { PerformanceStatsRegistry } from './stats/performance-stats.registry';

/**
 * The registration API, with no dependencies of its own: platform modules (caching, resilience,
 * queues) import this module to add metrics, readiness checks, performance sections and
 * startup holds, without pulling in persistence or Redis and without import cycles.
 */
@Module({
  providers: [
    MetricsService,
    ReadinessRegistry,
    PerformanceStatsRegistry,
    StartupState,
    ShutdownState,
  ],
  exports: [
    MetricsService,
    ReadinessRegistry,
    PerformanceStatsRegistry,
    StartupState,
    ShutdownState,
  ],
})
export class MonitoringCoreModule {}
