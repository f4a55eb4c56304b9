import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { QueueUnavailableError } from './errors/queue-unavailable.error';
import { UnknownTaskError } from './errors/unknown-task.error';
import type { EnqueueOptions, JobQueue } from './job-queue';
import { queuesConfig } from './queues.config';
import { QueueRegistry } from './queue.registry';
import type { TaskDefinition } from './task-context';
import { TaskRegistry } from './task.registry';

/** One job of {@link TaskQueue.enqueueBulk}. */
export interface BulkTaskItem<Data> {
  data: Data;
  /** This job's options; unset ones come from the task and then the queue defaults. */
  options?: EnqueueOptions;
}

/**
 * The guide's task queue in Nest idiom: `enqueue('heavy_computation', data)` returns the task
 * id; the job goes to the queue of the `@Task` that handles the name, with the task's attempts,
 * backoff and timeout. Works with processing off (an API-only process enqueues for workers).
 *
 * @example
 * ```ts
 * const taskId = await this.tasks.enqueue('heavy_computation', { numbers, iterations });
 * ```
 * @publicApi
 */
@Injectable()
export class TaskQueue {
  constructor(
    private readonly tasks: TaskRegistry,
    private readonly queues: QueueRegistry,
    @Inject(queuesConfig.KEY) private readonly config: ConfigType<typeof queuesConfig>,
  ) {}

  /**
   * Enqueues a task and returns its id.
   * @throws UnknownTaskError when no `@Task` handles the name.
   * @throws QueueUnavailableError (503) when Redis does not take it within QUEUES__ENQUEUE_TIMEOUT_MS.
   */
  async enqueue<Data>(name: string, data: Data, options: EnqueueOptions = {}): Promise<string> {
    const { queue, task } = this.route(name);
    return this.withinTimeout(queue.name, queue.add(name, data, withTaskDefaults(task, options)));
  }

  /**
   * Enqueues many jobs of one task in one Redis round trip and returns their ids in order. Each
   * job gets the task's attempts, backoff and timeout like {@link enqueue} (its own options win),
   * which `JobQueue.addBulk` alone does not apply.
   * @throws UnknownTaskError when no `@Task` handles the name.
   * @throws QueueUnavailableError (503) when Redis does not take them within QUEUES__ENQUEUE_TIMEOUT_MS.
   */
  async enqueueBulk<Data>(name: string, items: readonly BulkTaskItem<Data>[]): Promise<string[]> {
    const { queue, task } = this.route(name);
    if (items.length === 0) {
      return [];
    }
    const jobs = items.map((item) => ({
      name,
      data: item.data,
      options: withTaskDefaults(task, item.options),
    }));
    return this.withinTimeout(queue.name, queue.addBulk(jobs));
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

  /** The task of the name and the queue its jobs go to. */
  private route(name: string): { task: TaskDefinition; queue: JobQueue } {
    const task = this.tasks.get(name);
    const registered = task && this.queues.get(task.queue);
    if (!task || !registered) {
      throw new UnknownTaskError(name);
    }
    return { task, queue: registered.queue };
  }

  private async withinTimeout<T>(queue: string, add: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new QueueUnavailableError(queue, `no answer in ${this.config.enqueueTimeoutMs} ms`),
          ),
        this.config.enqueueTimeoutMs,
      );
    });
    try {
      return await Promise.race([
        add.catch((error: Error) => {
          throw new QueueUnavailableError(queue, error.message);
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The task's attempts, backoff and timeout under the caller's options (which win). */
function withTaskDefaults(task: TaskDefinition, options: EnqueueOptions = {}): EnqueueOptions {
  const { attempts, backoffMs, timeoutMs } = task;
  return {
    ...(attempts === undefined ? {} : { attempts }),
    ...(backoffMs === undefined ? {} : { backoffMs }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...options,
  };
}
