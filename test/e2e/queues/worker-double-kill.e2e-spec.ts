import { jobRunsKey, settledKey, SLEEP_TASK } from '../../fixtures/queues/fixture-queue.module';
import { Producer, startProducer } from '../../fixtures/queues/producer';
import {
  isAlive,
  spawnWorker,
  waitUntil,
  WorkerProcess,
} from '../../fixtures/queues/worker-process';

jest.setTimeout(180000);

// Stalled-job recovery tuned to seconds: lock 3 s (renewed every 1.5 s), checked every 1 s.
const WORKER_ENV = {
  QUEUES__LOCK_DURATION_MS: '3000',
  QUEUES__STALLED_INTERVAL_MS: '1000',
  PERFORMANCE__ASYNC_WORKER_COUNT: '1',
};

/** Three workers of one scenario (job ids restart at 1 per prefix: never mix scenarios). */
async function startWorkers(producer: Producer): Promise<WorkerProcess[]> {
  const workers = [1, 2, 3].map(() => spawnWorker(producer.env));
  await Promise.all(workers.map((worker) => worker.ready));
  return workers;
}

/** SIGKILLs the live worker running run number `run` of the job, once that run has started. */
async function killRun(
  producer: Producer,
  workers: WorkerProcess[],
  id: string,
  run: number,
): Promise<void> {
  await waitUntil(
    async () => Number(await producer.redis.hget(jobRunsKey(producer.prefix), id)) === run,
    45000,
    `run ${run} of the job to start`,
  );
  // The run counts itself in Redis before it prints; its line reaches us through a pipe.
  const holderOf = () =>
    workers.find((worker) => isAlive(worker) && worker.output().includes(`run ${id}\n`));
  await waitUntil(() => Promise.resolve(holderOf() !== undefined), 5000, `run ${run} to print`);
  const holder = holderOf();
  expect(holder).toBeDefined();
  // Killed mid-run: the run sleeps 3 s and has just started.
  await new Promise((resolve) => setTimeout(resolve, 300));
  holder!.child.kill('SIGKILL');
  await holder!.exited;
}

const runsOf = async (producer: Producer, id: string) =>
  Number(await producer.redis.hget(jobRunsKey(producer.prefix), id));

describe('JobQueue job whose workers die twice under it', () => {
  const producers: Producer[] = [];
  const workers: WorkerProcess[] = [];

  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill('SIGKILL');
    }
    for (const producer of producers) {
      await producer.close();
    }
  });

  it('should complete on its third run and report 3 attempts (default stall limit)', async () => {
    const producer = await startProducer('double_kill', WORKER_ENV);
    producers.push(producer);
    const scenario = await startWorkers(producer);
    workers.push(...scenario);
    const id = await producer.queue.enqueue(SLEEP_TASK, { ms: 3000 });

    await killRun(producer, scenario, id, 1);
    await killRun(producer, scenario, id, 2);
    await waitUntil(
      async () => (await producer.queue.get(id))?.state === 'completed',
      30000,
      'the job to complete on its third run',
    );

    const job = await producer.queue.get(id);
    process.stderr.write(
      `double kill: ${job?.state} after ${await runsOf(producer, id)} runs, attempts ${job?.attempts}\n`,
    );
    expect(job).toMatchObject({ state: 'completed', attempts: 3, maxAttempts: 3 });
    expect(await runsOf(producer, id)).toBe(3);
    expect((await producer.queue.counts()).failed).toBe(0);
    expect(await producer.redis.llen(settledKey(producer.prefix))).toBe(0);
  });

  it('should fail for good past QUEUES__MAX_STALLED_COUNT and run @OnTaskFailed once', async () => {
    const producer = await startProducer('stall_limit', {
      ...WORKER_ENV,
      QUEUES__MAX_STALLED_COUNT: '1',
    });
    producers.push(producer);
    const scenario = await startWorkers(producer);
    workers.push(...scenario);
    const id = await producer.queue.enqueue(SLEEP_TASK, { ms: 3000 });

    await killRun(producer, scenario, id, 1);
    await killRun(producer, scenario, id, 2);
    await waitUntil(
      async () => (await producer.queue.get(id))?.state === 'failed',
      30000,
      'the stalled check to fail the job',
    );
    // Give a second settle (there must be none) time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 2500));

    const job = await producer.queue.get(id);
    expect(job).toMatchObject({ state: 'failed', attempts: 2 });
    expect(job?.error).toMatch(/stalled more than allowable limit/);
    expect(await runsOf(producer, id)).toBe(2);
    expect(await producer.redis.lrange(settledKey(producer.prefix), 0, -1)).toEqual([`${id} 2`]);
  });
});
