import { doneKey, runsKey, SLEEP_TASK } from '../../fixtures/queues/fixture-queue.module';
import { Producer, startProducer } from '../../fixtures/queues/producer';
import { spawnWorker, waitUntil, WorkerProcess } from '../../fixtures/queues/worker-process';

jest.setTimeout(120000);

const JOBS = 1000;
const WORKER_ENV = {
  QUEUES__LOCK_DURATION_MS: '3000',
  QUEUES__STALLED_INTERVAL_MS: '1000',
  // Two kills may hit the same job twice; it must still complete, not fail as stalled.
  QUEUES__MAX_STALLED_COUNT: '3',
  PERFORMANCE__ASYNC_WORKER_COUNT: '10',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('JobQueue under random worker kills', () => {
  let producer: Producer;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    producer = await startProducer('chaos', WORKER_ENV);
  });
  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill('SIGKILL');
    }
    await producer.close();
  });

  it('should complete every one of 1,000 jobs while workers are SIGKILLed at random', async () => {
    workers.push(...[1, 2, 3, 4].map(() => spawnWorker(producer.env)));
    await Promise.all(workers.map((worker) => worker.ready));

    const ids = await producer.queue.addBulk(
      Array.from({ length: JOBS }, () => ({
        name: SLEEP_TASK,
        data: { ms: 100 + Math.floor(Math.random() * 100) },
      })),
    );
    // Two of the four workers die at random moments while the queue is busy.
    const victims = [...workers].sort(() => Math.random() - 0.5).slice(0, 2);
    for (const victim of victims) {
      await sleep(500 + Math.random() * 1500);
      victim.child.kill('SIGKILL');
    }

    await waitUntil(
      async () => (await producer.redis.scard(doneKey(producer.prefix))) === JOBS,
      60000,
      'every job to complete',
    );
    const runs = Number(await producer.redis.get(runsKey(producer.prefix)));
    const counts = await producer.queue.counts();
    process.stderr.write(
      `chaos: ${JOBS} enqueued, ${JOBS} completed, ${runs} runs (re-runs ${runs - JOBS})\n`,
    );
    expect(new Set(ids).size).toBe(JOBS);
    expect(counts.failed).toBe(0);
    expect(runs).toBeGreaterThan(JOBS); // killed jobs ran again: at-least-once
    await waitUntil(
      async () => (await producer.queue.counts()).completed === JOBS,
      10000,
      'completed count',
    );
  });
});
