import { Module } from '@nestjs/common';
import { HealthIndicatorRegistry } from './health/health-indicator.registry';
import { ShutdownState, StartupState } from './health/lifecycle-state';
import { ReadinessRegistry } from './health/readiness.registry';
import { MetricsService } from './metrics/metrics.service';
import { PerformanceStatsRegistry } from './stats/performance-stats.registry';

/**
 * The registration contract, with no dependencies of its own: each platform module (persistence,
 * redis, caching, queues, resilience) imports this module and, from its `x.monitoring.ts`, adds
 * the health indicators of the dependencies it owns, readiness checks, metrics, performance
 * sections and startup holds. Monitoring itself imports none of them.
 */
@Module({
  providers: [
    MetricsService,
    HealthIndicatorRegistry,
    ReadinessRegistry,
    PerformanceStatsRegistry,
    StartupState,
    ShutdownState,
  ],
  exports: [
    MetricsService,
    HealthIndicatorRegistry,
    ReadinessRegistry,
    PerformanceStatsRegistry,
    StartupState,
    ShutdownState,
  ],
})
export class MonitoringCoreModule {}
