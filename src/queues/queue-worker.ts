import { Logger } from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { startAttempt } from './job-attempts';
import { handBackJobs } from './job-handback';

/** What the local worker does with one job. */
export type JobHandler = (job: Job) => Promise<unknown>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/**
 * The local worker of one Bull queue: runs its jobs in this process and, at shutdown, drains them
 * or hands them back. Kept apart from `JobQueue` so producers never see the worker side.
 */
export class QueueWorker {
  private readonly logger: Logger;
  /** Jobs this process is running, for the shutdown hand-back. */
  private readonly running = new Set<string>();
  private processing = false;

  constructor(
    readonly name: string,
    private readonly bull: Queue,
  ) {
    this.logger = new Logger(`Queue:${name}`);
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
   *
   * The count is sent as the handler starts and not awaited before it: the run's number is known
   * already (the hash's count, read with the job, plus one; the job is locked to this worker), and
   * waiting for the reply first cost every job one Redis round trip (noop jobs/s 0.82x -> 0.55x
   * raw Bull). A completed run does not wait for it either (Bull's completion, sent later on the
   * same connection, runs after it in Redis and does not read the count); a failed run does,
   * because Bull decides on a retry from the attempts the reply widens.
   */
  process(concurrency: number, handler: JobHandler): void {
    this.processing = true;
    settleWorkerNameQuietly(this.bull);
    void this.bull
      .process('*', concurrency, async (job: Job) => {
        this.running.add(String(job.id));
        const counted = startAttempt(this.bull, job).catch((error: Error) => {
          // The run goes on; only its count is lost (a retry budget one run short at worst).
          this.logger.warn(`Job ${String(job.id)}: run not counted: ${error.message}`);
        });
        try {
          return await handler(job);
        } catch (error) {
          // Bull decides on a retry from the attempts the count widens: it must be in first.
          await counted;
          throw error;
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
