import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Job } from 'bull';
import { StartupState } from '../monitoring';
import { MissingTaskHandlerError } from './errors/missing-task-handler.error';
import type { JobQueue } from './job-queue';
import { queuesConfig } from './queues.config';
import { QueueRegistry, type RegisteredQueue } from './queue.registry';
import { contextOf } from './task-context';
import { TaskRegistry } from './task.registry';
import { WorkLimiter } from './work-limiter';

/** Jobs sampled per queue by the boot check for names without a handler. */
const BOOT_CHECK_SAMPLE = 1000;

/**
 * Runs the registered `@Task`s: when this process processes (`QUEUES__PROCESS`), starts each
 * queue's worker after bootstrap, so no job runs before the app is initialised (nestjs/bull#760),
 * sends each job through the work limiter to its handler, and runs the `@OnTaskFailed` methods
 * of jobs that failed for good. Boot fails when a queue holds jobs no handler here can run.
 */
@Injectable()
export class TaskWorker implements OnApplicationBootstrap {
  private readonly logger = new Logger('Tasks');

  constructor(
    private readonly tasks: TaskRegistry,
    private readonly queues: QueueRegistry,
    private readonly limiter: WorkLimiter,
    private readonly startup: StartupState,
    @Inject(queuesConfig.KEY) private readonly config: ConfigType<typeof queuesConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.process) {
      this.logger.log('QUEUES__PROCESS=false: this process only enqueues');
      return;
    }
    const release = this.startup.hold('queue processors');
    try {
      for (const registered of this.queues.list()) {
        await this.start(registered);
      }
    } finally {
      release();
    }
  }

  private async start({ queue, worker, concurrency }: RegisteredQueue): Promise<void> {
    await this.checkStoredJobNames(queue.name, queue.bull.getJobs.bind(queue.bull));
    worker.process(concurrency, (job) => this.dispatch(job));
    this.settleFailures(queue);
    this.logger.log(`Processing queue "${queue.name}" (concurrency ${concurrency})`);
  }

  private async checkStoredJobNames(
    queue: string,
    getJobs: (
      states: ('waiting' | 'delayed' | 'paused')[],
      start: number,
      end: number,
    ) => Promise<Job[]>,
  ): Promise<void> {
    let jobs: Job[];
    try {
      jobs = await getJobs(['waiting', 'delayed', 'paused'], 0, BOOT_CHECK_SAMPLE - 1);
    } catch (_error) {
      this.logger.warn(`Queue "${queue}": Redis unavailable, stored job names not checked`);
      return;
    }
    const known = new Set(this.tasks.ofQueue(queue).map((task) => task.name));
    const unknown = [...new Set(jobs.filter(Boolean).map((job) => job.name))].filter(
      (name) => !known.has(name),
    );
    if (unknown.length > 0) {
      throw new MissingTaskHandlerError(queue, unknown);
    }
  }

  private dispatch(job: Job): Promise<unknown> {
    const task = this.tasks.get(job.name);
    if (!task) {
      // Fails the attempt; the job ends in the dead list where an operator sees it.
      return Promise.reject(new Error(`No @Task handler for "${job.name}" in this worker`));
    }
    const context = contextOf(job, job.attemptsMade + 1);
    return this.limiter.run(() => task.handler(job.data, context));
  }

  /**
   * Runs the `@OnTaskFailed` methods of a job that failed for good. Bull emits `failed` in this
   * process for every failed attempt of a job it ran (a throw or a timeout) and for a job its
   * stall check gave up on; only a job now in the failed set (no retry left) counts, so the
   * methods run once per job.
   */
  private settleFailures(queue: JobQueue): void {
    queue.bull.on('failed', (job: Job | null, error: Error) => {
      // Null when a job the stall check failed was removed before Bull could read it back.
      if (!job) {
        return;
      }
      const handlers = this.tasks.failureHandlersOf(job.name);
      if (handlers.length === 0) {
        return;
      }
      void (async () => {
        if (!(await job.isFailed())) {
          return; // retried
        }
        const context = contextOf(job, job.attemptsMade);
        for (const { handler, source } of handlers) {
          await handler(job.data, context, error).catch((failure: unknown) =>
            this.logger.error(
              `${source} failed for job ${String(job.id)}: ${failure instanceof Error ? failure.message : String(failure)}`,
            ),
          );
        }
      })().catch((failure: unknown) =>
        this.logger.warn(
          `Job ${String(job.id)}: could not check whether it failed for good: ${failure instanceof Error ? failure.message : String(failure)}`,
        ),
      );
    });
  }
}
