import { doneKey, runsKey, SLEEP_TASK } from '../../fixtures/queues/fixture-queue.module';
import { Producer, startProducer } from '../../fixtures/queues/producer';
import { spawnWorker, waitUntil, WorkerProcess } from '../../fixtures/queues/worker-process';

// Stalled-job recovery tuned to seconds: lock 3 s (renewed every 1.5 s), checked every 1 s.
const WORKER_ENV = {
  QUEUES__LOCK_DURATION_MS: '3000',
  QUEUES__STALLED_INTERVAL_MS: '1000',
  PERFORMANCE__ASYNC_WORKER_COUNT: '1',
};

describe('JobQueue worker crash', () => {
  let producer: Producer;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    producer = await startProducer('kill', WORKER_ENV);
  });
  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill('SIGKILL');
    }
    await producer.close();
  });

  it('should complete a 5 s job on another worker within 30 s after its worker is SIGKILLed', async () => {
    workers.push(spawnWorker(producer.env), spawnWorker(producer.env));
    await Promise.all(workers.map((worker) => worker.ready));

    const id = await producer.queue.enqueue(SLEEP_TASK, { ms: 5000 });
    await waitUntil(
      () => Promise.resolve(workers.some((worker) => worker.output().includes(`run ${id}`))),
      10000,
      'the job to start',
    );
    const holder = workers.find((worker) => worker.output().includes(`run ${id}`))!;
    const other = workers.find((worker) => worker !== holder)!;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    holder.child.kill('SIGKILL');
    const killedAt = Date.now();

    await waitUntil(
      async () => (await producer.redis.sismember(doneKey(producer.prefix), id)) === 1,
      30000,
      'the job to complete on the other worker',
    );
    const recoveredInMs = Date.now() - killedAt;
    process.stderr.write(`killed mid-job: completed ${recoveredInMs} ms after the kill\n`);
    expect(recoveredInMs).toBeLessThan(30000);
    expect(other.output()).toContain(`run ${id}`);
    expect(Number(await producer.redis.get(runsKey(producer.prefix)))).toBe(2);
    // The run its worker died under counts: 2 attempts, and none of its 3 failures spent.
    expect(await producer.queue.get(id)).toMatchObject({
      state: 'completed',
      attempts: 2,
      maxAttempts: 3,
    });
  });
});
