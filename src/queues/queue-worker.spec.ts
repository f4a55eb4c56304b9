import type { Job, Queue } from 'bull';
import { QueueWorker } from './queue-worker';

/** A Bull queue stand-in: `process` hands over the job function, the count script waits for `answer`. */
function fakeBull() {
  let processJob: (job: Job) => Promise<unknown> = () => Promise.resolve();
  let answer: (reply: [number, number]) => void = () => undefined;
  let refuse: (error: Error) => void = () => undefined;
  const client = {
    defineCommand: jest.fn(),
    agenticStartAttempt: jest.fn(
      () =>
        new Promise<[number, number]>((resolve, reject) => {
          answer = resolve;
          refuse = reject;
        }),
    ),
  };
  const bull = {
    client,
    toKey: (id: string) => `bull:q:${id}`,
    setWorkerName: () => Promise.resolve(),
    bclient: { status: 'ready' },
    process: (_name: string, _concurrency: number, fn: (job: Job) => Promise<unknown>) => {
      processJob = fn;
      return Promise.resolve();
    },
  } as unknown as Queue;
  return {
    bull,
    run: (job: Job) => processJob(job),
    answer: (reply: [number, number]) => answer(reply),
    refuse: (error: Error) => refuse(error),
  };
}

const jobOf = (attemptsMade: number) =>
  ({ id: '7', attemptsMade, opts: { attempts: 3 } }) as unknown as Job;
const settled = () => new Promise((resolve) => setImmediate(resolve));

describe(QueueWorker.name, () => {
  it('should start the handler without waiting for the run count, and complete a run without it', async () => {
    const { bull, run } = fakeBull();
    const handler = jest.fn().mockResolvedValue('done');
    new QueueWorker('q', bull).process(1, handler);

    // The count's reply never comes: the run still starts and completes.
    await expect(run(jobOf(1))).resolves.toBe('done');
    expect(handler).toHaveBeenCalledTimes(1);
    expect(bull.client).toMatchObject({ agenticStartAttempt: expect.any(Function) });
  });

  it('should fail a run only once it is counted, so Bull retries with the budget its stalls widened', async () => {
    const { bull, run, answer } = fakeBull();
    new QueueWorker('q', bull).process(1, () => Promise.reject(new Error('boom')));
    const job = jobOf(1);
    let outcome: unknown;

    void run(job).catch((error: Error) => (outcome = error.message));
    await settled();
    expect(outcome).toBeUndefined(); // waits for the count

    answer([2, 1]); // second run; one stall so far
    await settled();
    expect(outcome).toBe('boom');
    expect(job.attemptsMade).toBe(1);
    expect(job.opts.attempts).toBe(4);
  });

  it('should still answer a run whose count Redis refused', async () => {
    const { bull, run, refuse } = fakeBull();
    new QueueWorker('q', bull).process(1, () => Promise.resolve('done'));

    const running = run(jobOf(0));
    refuse(new Error('Connection is closed.'));

    await expect(running).resolves.toBe('done');
  });
});
