import { BullModule, getQueueToken } from '@nestjs/bull';
import { DynamicModule, Module, type InjectionToken } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import type { Queue } from 'bull';
import { AuthModule } from '../auth';
import { redisConfig } from '../config';
import { MonitoringCoreModule } from '../monitoring';
import { BackgroundTasks } from './background-tasks';
import { buildBullOptions, bullQueuePrefix } from './bull-options';
import { JobQueue } from './job-queue';
import { QueueCounts } from './telemetry/queue-counts';
import { QueueMetrics } from './telemetry/queue-metrics';
import { QueueBoard } from './operations/queue-board';
import { QueueErrorFilter } from './queue-error.filter';
import { QueueRegistry } from './queue.registry';
import { getJobQueueToken, QUEUE_CONNECTIONS } from './queues.constants';
import { queuesConfig } from './queues.config';
import type { QueueConnections } from './queue-connections';
import { QueuesCoreModule } from './queues-core.module';
import { QueuesLifecycle } from './queues.lifecycle';
import { QueuesMonitoring } from './queues.monitoring';
import { TaskExplorer } from './task.explorer';
import { TaskRegistry } from './task.registry';
import { TaskWorker } from './task-worker';

/**
 * Concurrency read from the providers in `inject` (the owner's config namespace), like a Nest
 * factory provider, so no module reads another's config by string key.
 */
export interface QueueConcurrencyFactory {
  inject: InjectionToken[];
  /** Gets the `inject` providers in order; returns jobs at once. */
  useFactory: (...deps: never[]) => number;
}

/** Options of {@link QueuesModule.registerQueue}. */
export interface RegisterQueueOptions {
  name: string;
  /** Jobs the local worker runs at once: a number or a typed factory. @default 1 */
  concurrency?: number | QueueConcurrencyFactory;
}

/**
 * Bull queues on the shared Redis under `<REDIS__KEY_PREFIX>:bull` (one hash tag per queue on a
 * cluster, see `bullQueuePrefix`), with one connection set per
 * process, safe job defaults, `@Task` handlers and their workers, `BackgroundTasks`, metrics,
 * readiness, bull-board and a draining shutdown. `forRoot()` once (global); each domain module
 * registers the queues it owns with `registerQueue()` and injects them with `@InjectJobQueue()`,
 * its one door to enqueue tasks and read them back.
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     QueuesModule.registerQueue({
 *       name: 'compute',
 *       concurrency: {
 *         inject: [performanceConfig.KEY],
 *         useFactory: (perf: ConfigType<typeof performanceConfig>) => perf.asyncWorkerCount,
 *       },
 *     }),
 *   ],
 * })
 * export class ComputeModule {}
 * ```
 * @publicApi
 */
@Module({})
export class QueuesModule {
  static forRoot(): DynamicModule {
    return {
      module: QueuesModule,
      global: true,
      imports: [
        QueuesCoreModule,
        MonitoringCoreModule,
        AuthModule,
        DiscoveryModule,
        BullModule.forRootAsync({
          imports: [QueuesCoreModule],
          inject: [QUEUE_CONNECTIONS, queuesConfig.KEY, redisConfig.KEY],
          useFactory: (
            connections: QueueConnections,
            config: ConfigType<typeof queuesConfig>,
            redis: ConfigType<typeof redisConfig>,
          ) => buildBullOptions(config, redis.keyPrefix, connections),
        }),
      ],
      providers: [
        TaskExplorer,
        TaskWorker,
        BackgroundTasks,
        QueuesLifecycle,
        QueueCounts,
        QueueMetrics,
        QueuesMonitoring,
        QueueBoard,
        { provide: APP_FILTER, useClass: QueueErrorFilter },
      ],
      exports: [QueuesCoreModule, BackgroundTasks],
    };
  }

  /** Registers a queue this module owns; inject it with `@InjectJobQueue(name)`. */
  static registerQueue(options: RegisterQueueOptions): DynamicModule {
    const token = getJobQueueToken(options.name);
    const concurrency = options.concurrency ?? 1;
    const factory: QueueConcurrencyFactory =
      typeof concurrency === 'number' ? { inject: [], useFactory: () => concurrency } : concurrency;
    return {
      module: QueuesModule,
      imports: [
        BullModule.registerQueueAsync({
          name: options.name,
          inject: [redisConfig.KEY],
          // Per queue: on a cluster each queue has its own hash tag (see `bullQueuePrefix`).
          useFactory: (redis: ConfigType<typeof redisConfig>) => ({
            prefix: bullQueuePrefix(redis.keyPrefix, options.name, redis.cluster !== undefined),
          }),
        }),
        QueuesCoreModule,
      ],
      providers: [
        {
          provide: token,
          inject: [
            getQueueToken(options.name),
            QueueRegistry,
            TaskRegistry,
            queuesConfig.KEY,
            ...factory.inject,
          ],
          useFactory: (
            bull: Queue,
            registry: QueueRegistry,
            tasks: TaskRegistry,
            config: ConfigType<typeof queuesConfig>,
            ...deps: never[]
          ) => {
            const queue = new JobQueue(options.name, bull, tasks, config.enqueueTimeoutMs);
            registry.add(queue, factory.useFactory(...deps));
            return queue;
          },
        },
      ],
      exports: [token],
    };
  }
}
