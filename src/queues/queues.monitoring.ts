import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { PerformanceStatsRegistry, ReadinessRegistry } from '../monitoring';
import { QUEUE_CONNECTIONS } from './queues.constants';
import { queuesConfig } from './queues.config';
import type { QueueConnections } from './queue-connections';
import { QueueRegistry } from './queue.registry';
import { WorkLimiter } from './work-limiter';
import { QueueCounts } from './telemetry/queue-counts';
import { QueueMetrics } from './telemetry/queue-metrics';

/**
 * What the queues contribute to monitoring: one readiness check per queue in the `queues` group
 * (a Redis outage degrades readiness unless `queues` is required), the metrics
 * (`telemetry/queue-metrics.ts`), and the `queues` section of `/performance/stats`.
 */
@Injectable()
export class QueuesMonitoring implements OnApplicationBootstrap {
  constructor(
    private readonly registry: QueueRegistry,
    private readonly readiness: ReadinessRegistry,
    private readonly stats: PerformanceStatsRegistry,
    private readonly metrics: QueueMetrics,
    private readonly counts: QueueCounts,
    private readonly limiter: WorkLimiter,
    @Inject(QUEUE_CONNECTIONS) private readonly connections: QueueConnections,
    @Inject(queuesConfig.KEY) private readonly config: ConfigType<typeof queuesConfig>,
  ) {}

  onApplicationBootstrap(): void {
    for (const { queue, worker } of this.registry.list()) {
      this.readiness.register({
        name: `queue:${queue.name}`,
        group: 'queues',
        check: async () => ({
          up: await queue.ping().catch(() => false),
          details: { processing: worker.isProcessing, running: worker.runningJobs.length },
        }),
      });
    }
    this.metrics.attach();
    this.stats.register({ name: 'queues', stats: () => this.snapshot() });
  }

  /** Job counts are read when asked (at most a second old); `null` when a queue's Redis is silent. */
  private async snapshot() {
    const counts = await this.counts.read();
    return {
      enabled: true,
      processing: this.config.process,
      redis_connections: this.connections.count(),
      work_slots: this.limiter.stats(),
      queues: Object.fromEntries(
        this.registry.list().map(({ queue, worker, concurrency }) => [
          queue.name,
          {
            concurrency,
            running_here: worker.runningJobs.length,
            jobs: counts.get(queue.name) ?? null,
            jobs_status: counts.get(queue.name) ? 'ok' : 'unavailable',
          },
        ]),
      ),
    };
  }
}
