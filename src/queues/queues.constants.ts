/** Metadata key of `@Task()`. */
export const TASK_METADATA = 'queues:task';
/** Metadata key of `@OnTaskFailed`. */
export const TASK_FAILED_METADATA = 'queues:task-failed';

/** Queue a `@Task` runs on when it names none. */
export const DEFAULT_TASK_QUEUE = 'tasks';

/** Where bull-board is served. */
export const BOARD_PATH = '/admin/queues';

/** Injection token of the process's Bull connection set. */
export const QUEUE_CONNECTIONS = Symbol('QUEUE_CONNECTIONS');

/** Token of the `JobQueue` of a queue name (see `InjectJobQueue`). */
export function getJobQueueToken(name: string): string {
  return `JobQueue:${name}`;
}
