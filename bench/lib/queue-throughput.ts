import Bull from 'bull';
import { CompletionClock } from './completion-clock';
import { NOOP_TASK, startQueueBench } from './queue-bench.module';
import { timeIt } from './timer';

/** One side of a throughput run: how fast it enqueued and how fast it processed. */
export interface ThroughputRun {
  /** Jobs/s of the addBulk chunks (producer side). */
  addBulkPerSecond: number;
  /** Jobs/s between the first and the last completed job (worker side). */
  processedPerSecond: number;
}

/** Shape of one throughput run. */
export interface ThroughputOptions {
  redisUrl: string;
  /** Key prefix of this run only (deleted by the caller). */
  prefix: string;
  jobs: number;
  concurrency: number;
  /** Jobs per addBulk call. */
  chunk: number;
  timeoutMs: number;
}

const chunks = (jobs: number, size: number): number[][] =>
  Array.from({ length: Math.ceil(jobs / size) }, (_, c) =>
    Array.from({ length: Math.min(size, jobs - c * size) }, (_, i) => c * size + i),
  );

/**
 * Our side: a producer-only context enqueues every job through `JobQueue.addBulk`, then a worker
 * context boots (the `@Task` explorer, `WorkLimiter`, our connection set, retention defaults)
 * and runs them all with `concurrency` at once.
 */
export async function runOurs(options: ThroughputOptions): Promise<ThroughputRun> {
  const env = {
    REDIS__URL: options.redisUrl,
    REDIS__KEY_PREFIX: options.prefix,
    PERFORMANCE__ASYNC_WORKER_COUNT: String(options.concurrency),
  };
  const producer = await startQueueBench({ ...env, QUEUES__PROCESS: 'false' });
  let enqueue;
  try {
    enqueue = await timeIt(async () => {
      for (const chunk of chunks(options.jobs, options.chunk)) {
        await producer.queue.addBulk(chunk.map((n) => ({ name: NOOP_TASK, data: { n } })));
      }
    });
  } finally {
    await producer.close();
  }
  const worker = await startQueueBench({ ...env, QUEUES__PROCESS: 'true' });
  try {
    await worker.clock.waitFor(options.jobs, options.timeoutMs);
    assertNoFailures('ours', worker.clock, options.jobs);
    return {
      addBulkPerSecond: options.jobs / (enqueue.ms / 1000),
      processedPerSecond: worker.clock.rate(),
    };
  } finally {
    await worker.close();
  }
}

/** Raw Bull: `new Bull(name, { prefix, redis })`, `addBulk` in the same chunks, `process(concurrency, handler)`. */
export async function runRaw(options: ThroughputOptions): Promise<ThroughputRun> {
  const queue = new Bull('raw', { prefix: options.prefix, redis: options.redisUrl });
  try {
    const enqueue = await timeIt(async () => {
      for (const chunk of chunks(options.jobs, options.chunk)) {
        await queue.addBulk(chunk.map((n) => ({ data: { n } })));
      }
    });
    const clock = new CompletionClock(queue);
    void queue.process(options.concurrency, () => Promise.resolve(null));
    await clock.waitFor(options.jobs, options.timeoutMs);
    assertNoFailures('raw Bull', clock, options.jobs);
    return {
      addBulkPerSecond: options.jobs / (enqueue.ms / 1000),
      processedPerSecond: clock.rate(),
    };
  } finally {
    await queue.close();
  }
}

/**
 * Enqueues `jobs` one call each, `inFlight` calls at a time, and returns jobs/s: the per-request
 * path of `POST /compute`.
 */
export async function enqueueLoop(
  jobs: number,
  inFlight: number,
  add: (n: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const { ms } = await timeIt(() =>
    Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < jobs) {
          await add(next++);
        }
      }),
    ),
  );
  return jobs / (ms / 1000);
}

function assertNoFailures(label: string, clock: CompletionClock, jobs: number): void {
  if (clock.failed > 0 || clock.completed < jobs) {
    throw new Error(`${label}: ${clock.completed}/${jobs} completed, ${clock.failed} failed`);
  }
}
