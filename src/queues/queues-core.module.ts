import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { redisConfig } from '../config';
import { QUEUE_CONNECTIONS } from './queues.constants';
import { QueueConnections } from './queue-connections';
import { QueueRegistry } from './queue.registry';
import { TaskRegistry } from './task.registry';
import { WorkLimiter } from './work-limiter';

/** The process-wide state of the queues: connections, registries and the work limiter. */
@Module({
  providers: [
    {
      provide: QUEUE_CONNECTIONS,
      inject: [redisConfig.KEY],
      useFactory: (redis: ConfigType<typeof redisConfig>) => new QueueConnections(redis),
    },
    QueueRegistry,
    TaskRegistry,
    WorkLimiter,
  ],
  exports: [QUEUE_CONNECTIONS, QueueRegistry, TaskRegistry, WorkLimiter],
})
export class QueuesCoreModule {}
