import { SetMetadata } from '@nestjs/common';
import { TASK_METADATA } from '../queues.constants';

/** Options of {@link Task}. */
export interface TaskOptions {
  /** Queue the task's jobs go to (its concurrency is the queue's). @default 'tasks' */
  queue?: string;
  /** Attempts before the job lands in the dead list. @default QUEUES__ATTEMPTS (3) */
  attempts?: number;
  /** Exponential backoff: first retry delay in ms, doubled per attempt. @default QUEUES__BACKOFF_MS (1000) */
  backoffMs?: number;
  /** An attempt fails when it runs longer, in ms. @default no limit */
  timeoutMs?: number;
}

/** Metadata stored by {@link Task}. */
export interface TaskMetadata extends TaskOptions {
  name: string;
}

/**
 * Makes a provider method the handler of a named task; the queues module binds it at boot
 * (every process knows the task; only processes with `QUEUES__PROCESS=true` run it). Delivery is
 * at-least-once (a worker that dies mid-job has its job run again), so handlers must be
 * idempotent. The method gets the job data and a `TaskContext`; what it returns is the result.
 *
 * @example
 * ```ts
 * @Task('heavy_computation', { queue: 'compute', attempts: 3, backoffMs: 1000, timeoutMs: 60000 })
 * async run(input: HeavyInput, task: TaskContext): Promise<HeavyResult> {
 *   await task.progress(50);
 *   ...
 * }
 * ```
 * @publicApi
 */
export const Task = (name: string, options: TaskOptions = {}): MethodDecorator =>
  SetMetadata<string, TaskMetadata>(TASK_METADATA, { name, ...options });
