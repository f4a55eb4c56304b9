import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { performanceConfig } from '../config';
import { QueuesModule } from '../queues';
import { COMPUTE_QUEUE } from './compute.constants';
import { ComputeController } from './compute.controller';
import { ComputeService } from './compute.service';
import { HeavyComputationTask } from './heavy-computation.task';

/** Compute tasks on the `compute` queue; its worker runs `PERFORMANCE__ASYNC_WORKER_COUNT` at once. */
@Module({
  imports: [
    QueuesModule.registerQueue({
      name: COMPUTE_QUEUE,
      concurrency: {
        inject: [performanceConfig.KEY],
        useFactory: (performance: ConfigType<typeof performanceConfig>) =>
          performance.asyncWorkerCount,
      },
    }),
  ],
  controllers: [ComputeController],
  providers: [ComputeService, HeavyComputationTask],
})
export class ComputeModule {}
