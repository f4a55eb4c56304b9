import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { MetricsService, PerformanceStatsRegistry, ReadinessRegistry } from '../../monitoring';
import { ReadRouter } from './read-router';
import { ReplicaMonitor } from './replica-monitor';

/** How each replica looks in readiness details and `/performance/stats`. */
function describe(monitor: ReplicaMonitor): Array<Record<string, unknown>> {
  return monitor.replicas.map((replica) => ({
    name: replica.name,
    status: replica.up && replica.reason === undefined ? 'up' : 'degraded',
    ...(replica.reason !== undefined && { reason: replica.reason }),
    lag_ms: Number.isFinite(replica.lagMs) ? replica.lagMs : null,
  }));
}

/**
 * What the replicas contribute to monitoring (only when configured): the readiness check
 * `database_replicas` (its own group, never required: a replica down or lagging makes readiness
 * `degraded`, never `down`; reads then go to the primary), the `database_replicas` section of
 * `/performance/stats` (each replica, and reads by target since boot), and the metrics `db_replica_up`, `db_replica_lag_seconds` and
 * `db_reads_total{target,reason}`.
 */
@Injectable()
export class ReplicasMonitoring implements OnModuleInit, OnModuleDestroy {
  private unsubscribe?: () => void;
  /** Routed reads since boot by target, for `/performance/stats`. */
  private readonly readsByTarget = new Map<string, number>();

  constructor(
    private readonly monitor: ReplicaMonitor,
    private readonly router: ReadRouter,
    private readonly metrics: MetricsService,
    private readonly readiness: ReadinessRegistry,
    private readonly stats: PerformanceStatsRegistry,
  ) {}

  onModuleInit(): void {
    if (!this.monitor.enabled) {
      return;
    }
    const monitor = this.monitor;
    this.readiness.register({
      name: 'database_replicas',
      check: () =>
        Promise.resolve({
          up: monitor.usable().length === monitor.replicas.length,
          details: { replicas: describe(monitor) },
        }),
    });
    this.stats.register({
      name: 'database_replicas',
      stats: () => ({ replicas: describe(monitor), reads: Object.fromEntries(this.readsByTarget) }),
    });
    this.metrics.gauge({
      name: 'db_replica_up',
      help: 'Whether the replica serves reads (1) or is skipped: unreachable, lagging, not a standby (0)',
      labelNames: ['replica'],
      collect() {
        const usable = new Set(monitor.usable());
        monitor.replicas.forEach((replica) =>
          this.set({ replica: replica.name }, usable.has(replica) ? 1 : 0),
        );
      },
    });
    this.metrics.gauge({
      name: 'db_replica_lag_seconds',
      help: 'Time the replica replay is behind the primary, at the last check (-1: unknown)',
      labelNames: ['replica'],
      collect() {
        monitor.replicas.forEach((replica) =>
          this.set(
            { replica: replica.name },
            replica.up && Number.isFinite(replica.lagMs) ? replica.lagMs / 1000 : -1,
          ),
        );
      },
    });
    const reads = this.metrics.counter({
      name: 'db_reads_total',
      help: 'Routed reads by target (primary, replica-N) and the reason for the choice',
      labelNames: ['target', 'reason'],
    });
    this.unsubscribe = this.router.onRead((target, reason) => {
      reads.inc({ target, reason });
      this.readsByTarget.set(target, (this.readsByTarget.get(target) ?? 0) + 1);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }
}
