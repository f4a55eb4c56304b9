import { Logger } from '@nestjs/common';
import type { Job, JobOptions, Queue } from 'bull';
import { startAttempt } from './job-attempts';
import { handBackJobs } from './job-handback';
import { JobInfo, toJobInfo } from './job-info';
import { lookupJob } from './job-lookup';

/** Options of one enqueue; unset ones come from the task and then the queue defaults. */
export interface EnqueueOptions {
  /** Idempotency key: enqueueing an id that exists returns the existing job. */
  jobId?: string;
  /** Run no earlier than this many ms from now. */
  delayMs?: number;
  attempts?: number;
  /** First retry delay of the exponential backoff, in ms. */
  backoffMs?: number;
  /** The attempt fails when the handler takes longer, in ms. */
  timeoutMs?: number;
}

/** What a processor does with one job. */
export type JobHandler = (job: Job) => Promise<unknown>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * The thin service in front of one Bull queue. Callers see ids and {@link JobInfo}, never Bull
 * types, so BullMQ could replace Bull behind it. Producers and the local worker share it.
 *
 * @publicApi
 */
export class JobQueue {
  private readonly logger: Logger;
  /** Jobs this process is running, for the shutdown hand-back. */
  private readonly running = new Set<string>();
  private processing = false;

  constructor(
    /** The queue's name (`compute`, `documents`). */
    readonly name: string,
    /** @internal the Bull queue: for the queues module only (metrics, board, shutdown). */
    readonly bull: Queue,
  ) {
    this.logger = new Logger(`Queue:${name}`);
    // Without a listener an 'error' event would crash the process.
    bull.on('error', (error: Error) => this.logger.warn(`Queue error: ${error.message}`));
  }

  /** Adds a job and returns its id. */
  async add(name: string, data: unknown, options: EnqueueOptions = {}): Promise<string> {
    const job = await this.bull.add(name, data, toBullOptions(options));
    return String(job.id);
  }

  /** Adds many jobs in one round trip; returns their ids in order. */
  async addBulk(
    jobs: { name: string; data: unknown; options?: EnqueueOptions }[],
  ): Promise<string[]> {
    const added = await this.bull.addBulk(
      jobs.map((job) => ({
        name: job.name,
        data: job.data,
        opts: toBullOptions(job.options ?? {}),
      })),
    );
    return added.map((job) => String(job.id));
  }

  /** The job, or null when the id is unknown or the job expired (retention). */
  async get<Data = unknown, Result = unknown>(id: string): Promise<JobInfo<Data, Result> | null> {
    const found = await lookupJob(this.bull, id);
    return found ? toJobInfo<Data, Result>(found.job, found.state) : null;
  }

  /** Failed jobs (the dead list), newest first. */
  async failed(start: number, count: number): Promise<JobInfo[]> {
    const jobs = await this.bull.getFailed(start, start + count - 1);
    return jobs.filter(Boolean).map((job) => toJobInfo(job, 'failed'));
  }

  /** Failed jobs in total. */
  failedCount(): Promise<number> {
    return this.bull.getFailedCount();
  }

  /**
   * Moves a failed job back to the queue for one more attempt (Bull keeps `attemptsMade`, the
   * runs so far, so the next one fails it for good again unless it completes).
   * @returns the job, null for an unknown id, or 'not_failed' when it is not in the dead list.
   */
  async retry(id: string): Promise<JobInfo | null | 'not_failed'> {
    const job = await this.bull.getJob(id);
    if (!job) {
      return null;
    }
    if ((await job.getState()) !== 'failed') {
      return 'not_failed';
    }
    await job.retry();
    return toJobInfo(job, 'waiting');
  }

  /** Jobs per state. */
  async counts(): Promise<Record<string, number>> {
    return { ...(await this.bull.getJobCounts()) };
  }

  /** Age in ms of the job that has waited longest, or null when none waits. */
  async oldestWaitingAgeMs(): Promise<number | null> {
    // Jobs are LPUSHed, so the oldest is at the tail of `wait`.
    const [job] = await this.bull.getWaiting(-1, -1);
    return job ? Math.max(0, Date.now() - job.timestamp) : null;
  }

  /** PINGs the queue's command connection. */
  async ping(): Promise<boolean> {
    return (await this.bull.client.ping()) === 'PONG';
  }

  /** Whether this process runs the queue's jobs. */
  get isProcessing(): boolean {
    return this.processing;
  }

  /** Ids of the jobs this process is running now. */
  get runningJobs(): string[] {
    return [...this.running];
  }

  /**
   * Starts the local worker: `concurrency` jobs at once, any job name, through `handler`. Each
   * run is counted when it starts (`job.attemptsMade + 1` is its number, see `startAttempt`).
   */
  process(concurrency: number, handler: JobHandler): void {
    this.processing = true;
    settleWorkerNameQuietly(this.bull);
    void this.bull
      .process('*', concurrency, async (job: Job) => {
        this.running.add(String(job.id));
        try {
          await startAttempt(this.bull, job);
          return await handler(job);
        } finally {
          this.running.delete(String(job.id));
        }
      })
      .catch((error: Error) => this.logger.error(`Worker stopped: ${error.message}`));
  }

  /**
   * Stops taking new jobs here and waits up to `timeoutMs` for the running ones; jobs still
   * running then go back to the queue for another worker. Producers keep working meanwhile.
   * @returns how many jobs were handed back.
   */
  async drain(timeoutMs: number): Promise<number> {
    if (!this.processing) {
      return 0;
    }
    await this.bull.pause(true, true);
    const deadline = Date.now() + timeoutMs;
    while (this.running.size > 0 && Date.now() < deadline) {
      await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
    }
    const left = this.runningJobs;
    if (left.length === 0) {
      return 0;
    }
    const moved = await handBackJobs(this.bull, left);
    this.logger.warn(
      `${left.length} job(s) still running after ${timeoutMs} ms; ${moved} handed back`,
    );
    // Stop renewing their locks and do not wait for the handlers: they end with the process.
    await this.bull.close(true);
    return moved;
  }
}

function toBullOptions(options: EnqueueOptions): JobOptions {
  const bull: JobOptions = {};
  if (options.jobId !== undefined) {
    bull.jobId = options.jobId;
  }
  if (options.delayMs !== undefined) {
    bull.delay = options.delayMs;
  }
  if (options.attempts !== undefined) {
    bull.attempts = options.attempts;
  }
  if (options.backoffMs !== undefined) {
    bull.backoff = { type: 'exponential', delay: options.backoffMs };
  }
  if (options.timeoutMs !== undefined) {
    bull.timeout = options.timeoutMs;
  }
  return bull;
}

/**
 * Bull's `process()` names the blocking connection (`CLIENT SETNAME`) without waiting for the
 * answer or catching it (bull/lib/queue.js, `this.setWorkerName()`): an app closed while that
 * command is still queued (a boot that fails right after init, a test that only reads the route
 * table) ended with an unhandled "Connection is closed" rejection. Once the queue is closing or
 * its blocking connection was closed at shutdown (the two happen in either order), the failure
 * means nothing; otherwise it is still thrown as Bull would.
 */
function settleWorkerNameQuietly(bull: Queue): void {
  const queue = bull as Queue & {
    setWorkerName(): Promise<void>;
    closing?: Promise<void>;
    bclient: { status: string };
  };
  const setWorkerName = queue.setWorkerName.bind(queue);
  queue.setWorkerName = () =>
    setWorkerName().catch((error: unknown) => {
      if (queue.closing === undefined && queue.bclient.status !== 'end') {
        throw error;
      }
    });
}
