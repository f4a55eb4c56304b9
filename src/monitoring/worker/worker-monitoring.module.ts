import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PersistenceModule } from '../../persistence';
import { RedisModule } from '../../redis';
import { DatabaseHealthIndicator } from '../health/database.health';
import { DependencyChecks } from '../health/dependency-checks';
import { EventLoopMonitor } from '../health/event-loop-monitor';
import { ProbesService } from '../health/probes.service';
import { ReadinessService } from '../health/readiness.service';
import { StartupHook } from '../health/startup.hook';
import { DatabaseMetrics } from '../metrics/database-metrics';
import { MonitoringCoreModule } from '../monitoring-core.module';
import { WorkerListener } from './worker-listener';

/**
 * Monitoring of the worker process (`npm run start:worker`): the API's probes and readiness
 * checks (PostgreSQL, schema, Redis, plus whatever the queues register), database metrics and
 * the registry every module fills (queue job metrics included), served by {@link WorkerListener}
 * on `MONITORING__WORKER_PORT`. Imported by the worker module instead of MonitoringModule, which
 * needs an HTTP adapter.
 */
@Module({
  imports: [MonitoringCoreModule, PersistenceModule, RedisModule, TerminusModule],
  providers: [
    DatabaseHealthIndicator,
    DependencyChecks,
    EventLoopMonitor,
    ReadinessService,
    ProbesService,
    StartupHook,
    DatabaseMetrics,
    WorkerListener,
  ],
  exports: [MonitoringCoreModule],
})
export class WorkerMonitoringModule {}
