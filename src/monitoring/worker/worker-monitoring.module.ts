import { Module } from '@nestjs/common';
import { DependencyChecks } from '../health/dependency-checks';
import { EventLoopMonitor } from '../health/event-loop-monitor';
import { ProbesService } from '../health/probes.service';
import { ReadinessService } from '../health/readiness.service';
import { StartupHook } from '../health/startup.hook';
import { MonitoringCoreModule } from '../monitoring-core.module';
import { WorkerListener } from './worker-listener';

/**
 * Monitoring of the worker process (`npm run start:worker`): the API's probes and readiness
 * checks and the metrics registry, filled by the modules the worker imports (PostgreSQL, schema
 * and database metrics from persistence, Redis from redis, the queues' checks and job metrics),
 * served by {@link WorkerListener} on `MONITORING__WORKER_PORT`. Imported by the worker module
 * instead of MonitoringModule, which needs an HTTP adapter.
 */
@Module({
  imports: [MonitoringCoreModule],
  providers: [
    DependencyChecks,
    EventLoopMonitor,
    ReadinessService,
    ProbesService,
    StartupHook,
    WorkerListener,
  ],
  exports: [MonitoringCoreModule],
})
export class WorkerMonitoringModule {}
