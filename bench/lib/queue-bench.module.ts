import { queueAppImports } from '../../test/fixtures/queues/queue-app-imports';
import { DynamicModule, Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { CompletionClock } from './completion-clock';
import { NestFactory } from '@nestjs/core';
import type { ConfigType } from '@nestjs/config';
import { performanceConfig } from '../../src/config';
import { getJobQueueToken, InjectJobQueue, JobQueue, Task } from '../../src/queues';

/** The queue of the throughput runs; its worker runs `PERFORMANCE__ASYNC_WORKER_COUNT` at once. */
export const BENCH_QUEUE = 'bench';
/** A task that does nothing: what is left to measure is the queue itself. */
export const NOOP_TASK = 'noop';

/** The `noop` handler: returns at once. */
@Injectable()
export class NoopTask {
  @Task(NOOP_TASK, { queue: BENCH_QUEUE, attempts: 1 })
  run(): Promise<null> {
    return Promise.resolve(null);
  }
}

/**
 * Clocks the `bench` queue's finished jobs from the moment the queue exists, i.e. before its
 * worker starts at bootstrap, so no early completion is missed.
 */
@Injectable()
export class BenchQueueClock extends CompletionClock {
  constructor(@InjectJobQueue(BENCH_QUEUE) queue: JobQueue) {
    super(queue.bull);
  }
}

/** The queues module, one `bench` queue and the `noop` task; no database, no HTTP. */
@Module({})
export class QueueBenchModule {
  static async forRoot(): Promise<DynamicModule> {
    return {
      module: QueueBenchModule,
      imports: await queueAppImports({
        name: BENCH_QUEUE,
        concurrency: {
          inject: [performanceConfig.KEY],
          useFactory: (performance: ConfigType<typeof performanceConfig>) =>
            performance.asyncWorkerCount,
        },
      }),
      providers: [NoopTask, BenchQueueClock],
    };
  }
}

/** A booted {@link QueueBenchModule}: the `bench` queue, its completion clock, and close. */
export interface QueueBenchContext {
  app: INestApplicationContext;
  queue: JobQueue;
  clock: CompletionClock;
  close(): Promise<void>;
}

/**
 * Boots {@link QueueBenchModule} with `env` set while it reads its config (then restored), e.g.
 * `{ REDIS__KEY_PREFIX, QUEUES__PROCESS: 'false' }` for a producer-only context.
 */
export async function startQueueBench(env: Record<string, string>): Promise<QueueBenchContext> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let app: INestApplicationContext;
  try {
    app = await NestFactory.createApplicationContext(await QueueBenchModule.forRoot(), {
      logger: ['error'],
    });
    await app.init();
  } finally {
    process.env = saved;
  }
  return {
    app,
    queue: app.get<JobQueue>(getJobQueueToken(BENCH_QUEUE)),
    clock: app.get(BenchQueueClock),
    close: () => app.close(),
  };
}
