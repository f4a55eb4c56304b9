import { Module } from '@nestjs/common';
import { DependencyChecks } from './health/dependency-checks';
import { EventLoopMonitor } from './health/event-loop-monitor';
import { HealthController } from './health/health.controller';
import { ProbesService } from './health/probes.service';
import { ReadinessService } from './health/readiness.service';
import { StartupHook } from './health/startup.hook';
import { InfoController } from './info/info.controller';
import { ManagementServer } from './management/management-server';
import { HttpMetrics } from './metrics/http-metrics';
import { MetricsRoute } from './metrics/metrics.route';
import { RequestTiming } from './metrics/request-timing';
import { MonitoringCoreModule } from './monitoring-core.module';
import { ShutdownConnectionHook } from './shutdown/shutdown-connection.hook';
import { PerformanceController } from './stats/performance.controller';
import { PerformanceService } from './stats/performance.service';

/**
 * Probes (`/health/live|ready|startup`), Prometheus `/metrics`, request timing
 * (`X-Process-Time`, HTTP metrics, slow-request log), `/performance/stats`,
 * `/health/performance`, `/info` and the management port (`MONITORING__MANAGEMENT_PORT`).
 * Imported once by the app module. It imports no platform module: each one (persistence, redis,
 * caching, queues, resilience) imports {@link MonitoringCoreModule} and registers its health
 * indicators, checks, metrics and stats from its own `x.monitoring.ts`.
 */
@Module({
  imports: [MonitoringCoreModule],
  controllers: [HealthController, PerformanceController, InfoController],
  providers: [
    DependencyChecks,
    EventLoopMonitor,
    ReadinessService,
    ProbesService,
    StartupHook,
    HttpMetrics,
    RequestTiming,
    MetricsRoute,
    PerformanceService,
    ShutdownConnectionHook,
    ManagementServer,
  ],
  exports: [MonitoringCoreModule, ManagementServer],
})
export class MonitoringModule {}
