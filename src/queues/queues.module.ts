import { BullModule, getQueueToken } from '@nestjs/bull';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService, type ConfigType } from '@nestjs/config';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import type { Queue } from 'bull';
import { AuthModule } from '../auth';
import { redisConfig } from '../config';
import { MonitoringCoreModule } from '../monitoring';
import { BackgroundTasks } from './background-tasks';
import { buildBullOptions } from './bull-options';
import { JobQueue } from './job-queue';
import { QueueCounts } from './telemetry/queue-counts';
import { QueueMetrics } from './telemetry/queue-metrics';
import { QueueMonitoring } from './telemetry/queue-monitoring';
import { QueueBoard } from './operations/queue-board';
import { QueueErrorFilter } from './queue-error.filter';
import { QueueRegistry } from './queue.registry';
import { getJobQueueToken, QUEUE_CONNECTIONS } from './queues.constants';
import { queuesConfig } from './queues.config';
import type { QueueConnections } from './queue-connections';
import { QueuesCoreModule } from './queues-core.module';
import { QueuesLifecycle } from './queues.lifecycle';
import { TaskExplorer } from './task.explorer';
import { TaskQueue } from './task-queue';

/** Options of {@link QueuesModule.registerQueue}. */
export interface RegisterQueueOptions {
  name: string;
  /** Jobs the local worker runs at once, from the config. @default 1 */
  concurrency?: (config: ConfigService) => number;
}

/**
 * Bull queues on the shared Redis under `<REDIS__KEY_PREFIX>:bull`, with one connection set per
 * process, safe job defaults, `@Task` handlers, `TaskQueue`, `BackgroundTasks`, metrics,
 * readiness, bull-board and a draining shutdown. `forRoot()` once (global); each domain module
 * registers the queues it owns with `registerQueue()` and injects them with `@InjectJobQueue()`.
 *
 * @example
 * ```ts
 * @Module({ imports: [QueuesModule.registerQueue({ name: 'compute', concurrency: (c) => 4 })] })
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
        TaskQueue,
        BackgroundTasks,
        QueuesLifecycle,
        QueueCounts,
        QueueMetrics,
        QueueMonitoring,
        QueueBoard,
        { provide: APP_FILTER, useClass: QueueErrorFilter },
      ],
      exports: [QueuesCoreModule, TaskQueue, BackgroundTasks],
    };
  }

  static registerQueue(options: RegisterQueueOptions): DynamicModule {
    const token = getJobQueueToken(options.name);
    return {
      module: QueuesModule,
      imports: [BullModule.registerQueue({ name: options.name }), QueuesCoreModule],
      providers: [
        {
          provide: token,
          inject: [getQueueToken(options.name), QueueRegistry, ConfigService],
          useFactory: (bull: Queue, registry: QueueRegistry, config: ConfigService) => {
            const queue = new JobQueue(options.name, bull);
            registry.add(queue, options.concurrency?.(config) ?? 1);
            return queue;
          },
        },
      ],
      exports: [token],
    };
  }
}
