import type { Job } from 'bull';

/** What a task handler gets besides its data. */
export interface TaskContext {
  /** The job id (the task id callers poll). */
  id: string;
  /** Number of this run: 1 on the first, +1 per failed run and per run its worker died under. */
  attempt: number;
  /** Reports progress, 0-100 (shown by `GET /compute/{id}` and bull-board). */
  progress(percent: number): Promise<void>;
  /** Adds a line to the job's log (bull-board shows it). */
  log(line: string): Promise<void>;
}

/** A registered task: its handler and where its jobs go. */
export interface TaskDefinition {
  name: string;
  queue: string;
  attempts?: number;
  backoffMs?: number;
  timeoutMs?: number;
  handler: (data: unknown, context: TaskContext) => Promise<unknown>;
  /** `Class.method`, for messages. */
  source: string;
}

/** A `@OnTaskFailed` method: runs once a job of its task has failed for good. */
export interface TaskFailureHandler {
  task: string;
  handler: (data: unknown, context: TaskContext, error: Error) => Promise<void>;
  /** `Class.method`, for messages. */
  source: string;
}

/** What a handler gets besides the data, for one attempt (run) of a job. */
export function contextOf(job: Job, attempt: number): TaskContext {
  return {
    id: String(job.id),
    attempt,
    progress: (percent) => job.progress(Math.max(0, Math.min(100, Math.round(percent)))),
    log: async (line) => {
      await job.log(line);
    },
  };
}
