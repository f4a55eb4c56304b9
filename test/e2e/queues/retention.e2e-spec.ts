import { queueAppImports } from '../../fixtures/queues/queue-app-imports';
import { DynamicModule, Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { getJobQueueToken, JobQueue, Task } from '../../../src/queues';
import { deleteKeys, waitUntil } from '../../fixtures/queues/worker-process';

const QUEUE = 'retention';
const TASK = 'retention_noop';
const COMPLETE_CAP = 100;
const FAIL_CAP = 50;
/** Jobs per half of the run; every tenth fails. */
const HALF = 1500;

/** Returns at once, or fails for every tenth job (attempts 1: straight to the dead list). */
@Injectable()
class NoopTask {
  @Task(TASK, { queue: QUEUE, attempts: 1 })
  run(data: { n: number }): Promise<null> {
    return data.n % 10 === 0 ? Promise.reject(new Error('planned failure')) : Promise.resolve(null);
  }
}

@Module({})
class RetentionModule {
  static async forRoot(): Promise<DynamicModule> {
    return {
      module: RetentionModule,
      imports: await queueAppImports({ name: QUEUE, concurrency: 10 }),
      providers: [NoopTask],
    };
  }
}

describe('JobQueue retention', () => {
  const prefix = `${process.env.REDIS__KEY_PREFIX ?? 'agentic_test'}_retention_${randomBytes(3).toString('hex')}`;
  const queueKeys = `${prefix}:bull:${QUEUE}:`;
  let app: INestApplicationContext;
  let queue: JobQueue;
  let redis: Redis;
  let finished = 0;

  beforeAll(async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      REDIS__KEY_PREFIX: prefix,
      QUEUES__PROCESS: 'true',
      QUEUES__REMOVE_ON_COMPLETE_COUNT: String(COMPLETE_CAP),
      QUEUES__REMOVE_ON_FAIL_COUNT: String(FAIL_CAP),
    });
    try {
      app = await NestFactory.createApplicationContext(await RetentionModule.forRoot(), {
        logger: false,
      });
    } finally {
      process.env = saved;
    }
    queue = app.get<JobQueue>(getJobQueueToken(QUEUE));
    queue.bull.on('completed', () => finished++);
    queue.bull.on('failed', () => finished++);
    redis = new Redis(process.env.REDIS__URL ?? 'redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    await app?.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  /** Enqueues and runs one half, then measures the queue's keys. */
  const runHalf = async (half: number) => {
    const first = half * HALF;
    const ids = await queue.addBulk(
      // JobQueue.addBulk does not apply the @Task's options (JobQueue.enqueue does): say it here.
      Array.from({ length: HALF }, (_, i) => ({
        name: TASK,
        data: { n: first + i },
        options: { attempts: 1 },
      })),
    );
    await waitUntil(() => Promise.resolve(finished >= first + HALF), 20000, `half ${half + 1}`);
    let cursor = '0';
    let keys = 0;
    let bytes = 0;
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${queueKeys}*`, 'COUNT', 1000);
      cursor = next;
      keys += batch.length;
      for (const key of batch) {
        bytes += (await redis.memory('USAGE', key)) ?? 0;
      }
    } while (cursor !== '0');
    const completed = await redis.zcard(`${queueKeys}completed`);
    const failed = await redis.zcard(`${queueKeys}failed`);
    return { ids, keys, bytes, completed, failed };
  };

  it('should keep Redis keys and memory flat across two halves of a 3,000-job run', async () => {
    const firstHalf = await runHalf(0);
    const secondHalf = await runHalf(1);

    process.stderr.write(
      `retention: ${2 * HALF} jobs; keys ${firstHalf.keys} -> ${secondHalf.keys}, ` +
        `MEMORY USAGE ${firstHalf.bytes} -> ${secondHalf.bytes} bytes\n`,
    );
    for (const half of [firstHalf, secondHalf]) {
      expect(half.completed).toBe(COMPLETE_CAP);
      expect(half.failed).toBe(FAIL_CAP);
      // Job hashes of the kept jobs plus a few queue keys (id counter, sets), not one per job run.
      expect(half.keys).toBeGreaterThanOrEqual(COMPLETE_CAP + FAIL_CAP);
      expect(half.keys).toBeLessThanOrEqual(COMPLETE_CAP + FAIL_CAP + 10);
    }
    expect(Math.abs(secondHalf.keys - firstHalf.keys)).toBeLessThanOrEqual(2);
    expect(secondHalf.bytes).toBeLessThan(firstHalf.bytes * 1.1);
    expect(secondHalf.bytes).toBeGreaterThan(firstHalf.bytes * 0.9);
    // The oldest jobs are gone; the newest completed one and the newest failed one are kept.
    expect(await queue.get(firstHalf.ids[1])).toBeNull();
    expect((await queue.get(secondHalf.ids[HALF - 1]))?.state).toBe('completed');
    expect((await queue.get(secondHalf.ids[HALF - 10]))?.state).toBe('failed');
  });
});
