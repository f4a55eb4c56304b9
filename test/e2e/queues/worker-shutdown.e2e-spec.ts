import { doneKey, SLEEP_TASK } from '../../fixtures/queues/fixture-queue.module';
import { Producer, startProducer } from '../../fixtures/queues/producer';
import { spawnWorker, waitUntil, WorkerProcess } from '../../fixtures/queues/worker-process';

jest.setTimeout(90000);

const WORKER_ENV = {
  QUEUES__LOCK_DURATION_MS: '3000',
  QUEUES__STALLED_INTERVAL_MS: '1000',
  PERFORMANCE__ASYNC_WORKER_COUNT: '3',
};

describe('JobQueue graceful shutdown', () => {
  // Two scenarios side by side, each on its own prefix with its own worker.
  let finishingQueue: Producer;
  let handBackQueue: Producer;
  let finishing: WorkerProcess;
  let handingBack: WorkerProcess;

  beforeAll(async () => {
    finishingQueue = await startProducer('sigterm_finish', WORKER_ENV);
    handBackQueue = await startProducer('sigterm_handback', WORKER_ENV);
    finishing = spawnWorker({ ...finishingQueue.env, QUEUES__SHUTDOWN_TIMEOUT_MS: '10000' });
    handingBack = spawnWorker({ ...handBackQueue.env, QUEUES__SHUTDOWN_TIMEOUT_MS: '500' });
    await Promise.all([finishing.ready, handingBack.ready]);
  });
  afterAll(async () => {
    finishing.child.kill('SIGKILL');
    handingBack.child.kill('SIGKILL');
    await finishingQueue.close();
    await handBackQueue.close();
  });

  const startJobs = async (producer: Producer, worker: WorkerProcess, ms: number) => {
    const ids = await Promise.all([1, 2, 3].map(() => producer.queue.enqueue(SLEEP_TASK, { ms })));
    await waitUntil(
      () => Promise.resolve(ids.every((id) => worker.output().includes(`run ${id}`))),
      10000,
      'the jobs to start',
    );
    return ids;
  };

  it('should let active jobs finish within the drain time and exit 0', async () => {
    const ids = await startJobs(finishingQueue, finishing, 1500);

    finishing.child.kill('SIGTERM');

    expect(await finishing.exited).toBe(0);
    for (const id of ids) {
      expect(await finishingQueue.redis.sismember(doneKey(finishingQueue.prefix), id)).toBe(1);
      expect((await finishingQueue.queue.get(id))?.attempts).toBe(1);
    }
    expect((await finishingQueue.queue.counts()).active).toBe(0);
  });

  it('should hand jobs still running after the drain time back to the queue and exit 0', async () => {
    const ids = await startJobs(handBackQueue, handingBack, 8000);

    const signalledAt = Date.now();
    handingBack.child.kill('SIGTERM');

    expect(await handingBack.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    const counts = await handBackQueue.queue.counts();
    expect(counts.active).toBe(0);
    expect(counts.waiting).toBe(3);
    for (const id of ids) {
      // The run handed back is not counted: a shutdown is neither a failure nor a stall.
      expect(await handBackQueue.queue.get(id)).toMatchObject({ state: 'queued', attempts: 0 });
    }
  });
});
