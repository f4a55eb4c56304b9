import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { QueueUnavailableError } from './errors/queue-unavailable.error';
import { UnknownTaskError } from './errors/unknown-task.error';
import type { EnqueueOptions } from './job-queue';
import { queuesConfig } from './queues.config';
import { QueueRegistry } from './queue.registry';
import { TaskRegistry } from './task.registry';

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
    const task = this.tasks.get(name);
    if (!task) {
      throw new UnknownTaskError(name);
    }
    const registered = this.queues.get(task.queue);
    if (!registered) {
      throw new UnknownTaskError(name);
    }
    const { attempts, backoffMs, timeoutMs } = task;
    const add = registered.queue.add(name, data, {
      ...(attempts === undefined ? {} : { attempts }),
      ...(backoffMs === undefined ? {} : { backoffMs }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...options,
    });
    return this.withinTimeout(task.queue, add);
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

  private async withinTimeout(queue: string, add: Promise<string>): Promise<string> {
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
