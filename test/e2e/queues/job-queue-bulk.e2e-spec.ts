import { queueAppImports } from '../../fixtures/queues/queue-app-imports';
import { DynamicModule, Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { getJobQueueToken, JobQueue, Task } from '../../../src/queues';
import { deleteKeys } from '../../fixtures/queues/worker-process';

const QUEUE = 'bulk';
const TASK = 'bulk_noop';

/** Never runs here (processing is off): only its @Task options matter. */
@Injectable()
class BulkTask {
  @Task(TASK, { queue: QUEUE, attempts: 5, backoffMs: 250, timeoutMs: 7000 })
  run(): Promise<null> {
    return Promise.resolve(null);
  }
}

@Module({})
class BulkModule {
  static async forRoot(): Promise<DynamicModule> {
    return {
      module: BulkModule,
      imports: await queueAppImports({ name: QUEUE }),
      providers: [BulkTask],
    };
  }
}

describe('JobQueue.enqueueBulk', () => {
  const prefix = `${process.env.REDIS__KEY_PREFIX ?? 'agentic_test'}_bulk_${randomBytes(3).toString('hex')}`;
  let app: INestApplicationContext;
  let queue: JobQueue;
  let redis: Redis;

  beforeAll(async () => {
    const saved = { ...process.env };
    // Producer only, so the jobs stay in Redis as enqueued.
    Object.assign(process.env, { REDIS__KEY_PREFIX: prefix, QUEUES__PROCESS: 'false' });
    try {
      app = await NestFactory.createApplicationContext(await BulkModule.forRoot(), {
        logger: false,
      });
      await app.init();
    } finally {
      process.env = saved;
    }
    queue = app.get<JobQueue>(getJobQueueToken(QUEUE));
    redis = new Redis(process.env.REDIS__URL ?? 'redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    await app?.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it("should store every job with the task's attempts, backoff and timeout, ids in order", async () => {
    const ids = await queue.enqueueBulk(TASK, [
      { data: { n: 0 } },
      { data: { n: 1 }, options: { attempts: 2 } },
      { data: { n: 2 } },
    ]);

    expect(ids).toHaveLength(3);
    const jobs = await Promise.all(ids.map((id) => queue.bull.getJob(id)));
    expect(jobs.map((job) => job?.data as unknown)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect(jobs.map((job) => job?.name)).toEqual([TASK, TASK, TASK]);
    for (const [i, job] of jobs.entries()) {
      expect(job?.opts).toMatchObject({
        attempts: i === 1 ? 2 : 5,
        backoff: { type: 'exponential', delay: 250 },
        timeout: 7000,
      });
    }
  });
});
