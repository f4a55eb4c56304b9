import type { JobOptions } from 'bull';
import { QueueUnavailableError } from './errors/queue-unavailable.error';
import type { TaskDefinition } from './task-context';

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

/** The task's attempts, backoff and timeout under the caller's options (which win). */
export function withTaskDefaults(
  task: TaskDefinition,
  options: EnqueueOptions = {},
): EnqueueOptions {
  const { attempts, backoffMs, timeoutMs } = task;
  return {
    ...(attempts === undefined ? {} : { attempts }),
    ...(backoffMs === undefined ? {} : { backoffMs }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...options,
  };
}

/** Bull's spelling of the options; unset ones are left out so Bull's queue defaults apply. */
export function toBullOptions(options: EnqueueOptions): JobOptions {
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
 * `add` as a {@link QueueUnavailableError} (the client's 503 + Retry-After) when it fails or takes
 * longer than `timeoutMs`: ioredis queues commands while Redis is down, so without a limit a
 * request would hang instead of being told to retry.
 */
export async function withinTimeout<T>(
  queue: string,
  timeoutMs: number,
  add: Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new QueueUnavailableError(queue, `no answer in ${timeoutMs} ms`)),
      timeoutMs,
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
