import { Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import {
  type EnqueueOptions,
  toBullOptions,
  withinTimeout,
  withTaskDefaults,
} from './enqueue-options';
import { UnknownTaskError } from './errors/unknown-task.error';
import { JobInfo, toJobInfo } from './job-info';
import { lookupJob } from './job-lookup';
import type { TaskDefinition } from './task-context';
import type { TaskRegistry } from './task.registry';

/** One job of {@link JobQueue.enqueueBulk}. */
export interface BulkTaskItem<Data> {
  data: Data;
  /** This job's options; unset ones come from the task and then the queue defaults. */
  options?: EnqueueOptions;
}

/**
 * The one door of producers to a queue: enqueue a `@Task` of the queue by name (with the task's
 * attempts, backoff and timeout, a 503 when Redis does not take it), then read the job back by
 * its id, list and retry the dead ones. Callers see ids and {@link JobInfo}, never Bull types,
 * so BullMQ could replace Bull behind it. Works with processing off (an API-only process
 * enqueues for workers); the local worker is `QueueWorker`, which producers never see.
 *
 * @example
 * ```ts
 * constructor(@InjectJobQueue('compute') private readonly queue: JobQueue) {}
 * const taskId = await this.queue.enqueue('heavy_computation', { numbers, iterations });
 * const job = await this.queue.get(taskId);
 * ```
 * @publicApi
 */
export class JobQueue {
  constructor(
    /** The queue's name (`compute`, `documents`). */
    readonly name: string,
    /** @internal the Bull queue: for the queues module only (metrics, board, worker, shutdown). */
    readonly bull: Queue,
    private readonly tasks: TaskRegistry,
    /** QUEUES__ENQUEUE_TIMEOUT_MS */
    private readonly enqueueTimeoutMs: number,
  ) {
    const logger = new Logger(`Queue:${name}`);
    // Without a listener an 'error' event would crash the process.
    bull.on('error', (error: Error) => logger.warn(`Queue error: ${error.message}`));
  }

  /**
   * Enqueues a task of this queue and returns its id (the task id callers poll).
   * @throws UnknownTaskError when no `@Task` of this queue handles the name.
   * @throws QueueUnavailableError (503) when Redis does not take it within QUEUES__ENQUEUE_TIMEOUT_MS.
   */
  async enqueue<Data>(name: string, data: Data, options: EnqueueOptions = {}): Promise<string> {
    const task = this.taskOf(name);
    return await withinTimeout(
      this.name,
      this.enqueueTimeoutMs,
      this.add(name, data, withTaskDefaults(task, options)),
    );
  }

  /**
   * Enqueues many jobs of one task in one Redis round trip and returns their ids in order; each
   * gets the task's defaults like {@link enqueue} (its own options win), which `addBulk` does not.
   * @throws UnknownTaskError when no `@Task` of this queue handles the name.
   * @throws QueueUnavailableError (503) when Redis does not take them within QUEUES__ENQUEUE_TIMEOUT_MS.
   */
  async enqueueBulk<Data>(name: string, items: readonly BulkTaskItem<Data>[]): Promise<string[]> {
    const task = this.taskOf(name);
    if (items.length === 0) {
      return [];
    }
    const jobs = items.map((item) => ({
      name,
      data: item.data,
      options: withTaskDefaults(task, item.options),
    }));
    return withinTimeout(this.name, this.enqueueTimeoutMs, this.addBulk(jobs));
  }

  /** Enqueues a task to run no earlier than `delayMs` from now (the guide's `.delay()`). */
  delay<Data>(
    name: string,
    data: Data,
    delayMs: number,
    options: EnqueueOptions = {},
  ): Promise<string> {
    return this.enqueue(name, data, { ...options, delayMs });
  }

  /**
   * Adds a job as is, without the task's defaults or the time limit (benchmarks, tests and
   * fixtures that set every option themselves); producers use {@link enqueue}.
   */
  async add(name: string, data: unknown, options: EnqueueOptions = {}): Promise<string> {
    const job = await this.bull.add(name, data, toBullOptions(options));
    return String(job.id);
  }

  /** {@link add} for many jobs in one round trip; returns their ids in order. */
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

  /**
   * The task of the name, which must run on this queue: a job of another queue's task would sit
   * here with no worker able to run it.
   */
  private taskOf(name: string): TaskDefinition {
    const task = this.tasks.get(name);
    if (!task || task.queue !== this.name) {
      throw new UnknownTaskError(name, this.name);
    }
    return task;
  }
}
