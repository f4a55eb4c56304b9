import { DynamicModule, Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  getJobQueueToken,
  JobQueue,
  OnTaskFailed,
  Task,
  type TaskContext,
} from '../../../src/queues';
import { queueAppImports } from '../../fixtures/queues/queue-app-imports';
import { deleteKeys, waitUntil } from '../../fixtures/queues/worker-process';

const QUEUE = 'settle';

interface Call {
  job: string;
  attempt: number;
  error: string;
}

/** Tasks that fail in each way a job can fail for good, and one that succeeds on its retry. */
@Injectable()
class FlakyTasks {
  readonly attempts = new Map<string, number>();
  readonly settled: Call[] = [];

  private count(key: string): number {
    const n = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.set(key, n);
    return n;
  }

  @Task('always_throws', { queue: QUEUE, attempts: 3, backoffMs: 10 })
  async alwaysThrows(data: { key: string }): Promise<never> {
    this.count(data.key);
    return Promise.reject(new Error('boom'));
  }

  @Task('hangs', { queue: QUEUE, attempts: 2, backoffMs: 10, timeoutMs: 150 })
  hangs(data: { key: string }): Promise<never> {
    this.count(data.key);
    return new Promise<never>(() => undefined);
  }

  @Task('second_time_lucky', { queue: QUEUE, attempts: 3, backoffMs: 10 })
  async secondTimeLucky(data: { key: string }): Promise<string> {
    return this.count(data.key) === 1 ? Promise.reject(new Error('first')) : 'ok';
  }

  @Task('succeeds', { queue: QUEUE })
  succeeds(data: { key: string }): string {
    this.count(data.key);
    return 'ok';
  }

  @OnTaskFailed('always_throws', 'hangs')
  settle(data: { key: string }, task: TaskContext, error: Error): void {
    this.settled.push({ job: data.key, attempt: task.attempt, error: error.message });
  }
}

@Injectable()
class LuckySettler {
  readonly calls: string[] = [];

  @OnTaskFailed('second_time_lucky')
  settle(data: { key: string }): void {
    this.calls.push(data.key);
  }
}

@Module({})
class SettleModule {
  static async forRoot(): Promise<DynamicModule> {
    return {
      module: SettleModule,
      imports: await queueAppImports({ name: QUEUE, concurrency: 5 }),
      providers: [FlakyTasks, LuckySettler],
    };
  }
}

describe('@OnTaskFailed', () => {
  const prefix = `${process.env.REDIS__KEY_PREFIX ?? 'agentic_test'}_settle_${randomBytes(3).toString('hex')}`;
  let app: INestApplicationContext;
  let tasks: JobQueue;
  let flaky: FlakyTasks;
  let redis: Redis;

  beforeAll(async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { REDIS__KEY_PREFIX: prefix, QUEUES__PROCESS: 'true' });
    try {
      app = await NestFactory.createApplicationContext(await SettleModule.forRoot(), {
        logger: false,
      });
      await app.init();
    } finally {
      process.env = saved;
    }
    tasks = app.get<JobQueue>(getJobQueueToken(QUEUE));
    flaky = app.get(FlakyTasks);
    redis = new Redis(process.env.REDIS__URL ?? 'redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    await app?.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('should run once, after the last attempt, for a job whose handler always throws', async () => {
    const key = randomUUID();
    await tasks.enqueue('always_throws', { key });

    await waitUntil(
      () => Promise.resolve(flaky.settled.some((call) => call.job === key)),
      10000,
      'the failure handler',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(flaky.attempts.get(key)).toBe(3);
    expect(flaky.settled.filter((call) => call.job === key)).toEqual([
      { job: key, attempt: 3, error: 'boom' },
    ]);
  });

  it('should run for a job whose last attempt times out (the handler never returns)', async () => {
    const key = randomUUID();
    await tasks.enqueue('hangs', { key });

    await waitUntil(
      () => Promise.resolve(flaky.settled.some((call) => call.job === key)),
      10000,
      'the failure handler',
    );

    expect(flaky.attempts.get(key)).toBe(2);
    expect(flaky.settled.filter((call) => call.job === key)).toEqual([
      { job: key, attempt: 2, error: expect.stringMatching(/timed out/i) as string },
    ]);
  });

  it('should report runs as attempts: 1 for a first-run success, 2 after one failure, 3 when every run failed', async () => {
    const queue = app.get<JobQueue>(getJobQueueToken(QUEUE));
    const [first, lucky, dead] = await Promise.all([
      tasks.enqueue('succeeds', { key: randomUUID() }),
      tasks.enqueue('second_time_lucky', { key: randomUUID() }),
      tasks.enqueue('always_throws', { key: randomUUID() }),
    ]);

    await waitUntil(
      async () => {
        const states = await Promise.all([first, lucky, dead].map((id) => queue.get(id)));
        return states.map((job) => job?.state).join() === 'completed,completed,failed';
      },
      10000,
      'the three jobs to settle',
    );

    const [a, b, c] = await Promise.all([first, lucky, dead].map((id) => queue.get(id)));
    expect([a?.attempts, b?.attempts, c?.attempts]).toEqual([1, 2, 3]);
    expect(c?.maxAttempts).toBe(3);
  });

  it('should not run for a job that succeeds on a retry', async () => {
    const key = randomUUID();
    const lucky = app.get(LuckySettler);
    await tasks.enqueue('second_time_lucky', { key });

    await waitUntil(
      () => Promise.resolve(flaky.attempts.get(key) === 2),
      10000,
      'the second attempt',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(lucky.calls).toEqual([]);
  });
});
