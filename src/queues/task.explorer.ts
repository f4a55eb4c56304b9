import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Job } from 'bull';
import { StartupState } from '../monitoring';
import type { TaskMetadata } from './decorators/task.decorator';
import { MissingTaskHandlerError } from './errors/missing-task-handler.error';
import { DEFAULT_TASK_QUEUE, TASK_FAILED_METADATA, TASK_METADATA } from './queues.constants';
import { queuesConfig } from './queues.config';
import { QueueRegistry } from './queue.registry';
import type { JobQueue } from './job-queue';
import type { TaskContext, TaskDefinition } from './task-context';
import { TaskRegistry } from './task.registry';
import { WorkLimiter } from './work-limiter';

/** Jobs sampled per queue by the boot check for names without a handler. */
const BOOT_CHECK_SAMPLE = 1000;

/**
 * Finds `@Task` methods at boot (like @nestjs/bull's explorer binds `@Process`), registers them,
 * and, when this process processes (`QUEUES__PROCESS`), starts each queue's worker after
 * bootstrap so no job runs before the app is initialised (nestjs/bull#760). Boot fails when a
 * task names an unregistered queue, or when a queue holds jobs no handler here can run.
 */
@Injectable()
export class TaskExplorer implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Tasks');

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly tasks: TaskRegistry,
    private readonly queues: QueueRegistry,
    private readonly limiter: WorkLimiter,
    private readonly startup: StartupState,
    @Inject(queuesConfig.KEY) private readonly config: ConfigType<typeof queuesConfig>,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) {
        continue;
      }
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const target = (instance as Record<string, unknown>)[method];
        if (typeof target !== 'function') {
          continue;
        }
        const fn = target as (...args: unknown[]) => unknown;
        const meta = this.reflector.get<TaskMetadata | undefined>(TASK_METADATA, target);
        if (meta) {
          this.tasks.add(this.define(meta, instance, method, fn));
        }
        const failedTasks = this.reflector.get<string[] | undefined>(TASK_FAILED_METADATA, target);
        for (const task of failedTasks ?? []) {
          this.tasks.addFailureHandler({
            task,
            handler: async (data, context, error) => {
              await fn.call(instance, data, context, error);
            },
            source: `${instance.constructor.name}.${method}`,
          });
        }
      }
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const { task, source } of this.tasks.failureHandlersOf()) {
      if (!this.tasks.get(task)) {
        throw new Error(`${source}: @OnTaskFailed('${task}') names no @Task`);
      }
    }
    for (const task of this.tasks.list()) {
      if (!this.queues.get(task.queue)) {
        throw new Error(
          `${task.source}: @Task('${task.name}') uses queue "${task.queue}", which is not registered (QueuesModule.registerQueue)`,
        );
      }
    }
    if (!this.config.process) {
      this.logger.log('QUEUES__PROCESS=false: this process only enqueues');
      return;
    }
    const release = this.startup.hold('queue processors');
    try {
      for (const { queue, concurrency } of this.queues.list()) {
        await this.checkStoredJobNames(queue.name, queue.bull.getJobs.bind(queue.bull));
        queue.process(concurrency, (job) => this.dispatch(job));
        this.settleFailures(queue);
        this.logger.log(`Processing queue "${queue.name}" (concurrency ${concurrency})`);
      }
    } finally {
      release();
    }
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

  private define(
    meta: TaskMetadata,
    instance: object,
    method: string,
    fn: (...args: unknown[]) => unknown,
  ): TaskDefinition {
    const { name, queue, ...options } = meta;
    return {
      name,
      queue: queue ?? DEFAULT_TASK_QUEUE,
      ...options,
      handler: (data, context) => Promise.resolve(fn.call(instance, data, context)),
      source: `${instance.constructor.name}.${method}`,
    };
  }
}

/** What a handler gets besides the data, for one attempt of a job. */
function contextOf(job: Job, attempt: number): TaskContext {
  return {
    id: String(job.id),
    attempt,
    progress: (percent) => job.progress(Math.max(0, Math.min(100, Math.round(percent)))),
    log: async (line) => {
      await job.log(line);
    },
  };
}
