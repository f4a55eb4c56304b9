import type { Job, JobStatus } from 'bull';

/** A job's state as callers see it (Celery-like); `queued` covers waiting and paused. */
export type JobState = 'queued' | 'active' | 'completed' | 'failed' | 'delayed';

/** States a job can be in, for OpenAPI enums. */
export const JOB_STATES: readonly JobState[] = [
  'queued',
  'active',
  'completed',
  'failed',
  'delayed',
];

/** A job as the queue service returns it: no Bull types leak to callers. */
export interface JobInfo<Data = unknown, Result = unknown> {
  id: string;
  /** Task name. */
  name: string;
  state: JobState;
  /** 0-100. */
  progress: number;
  data: Data;
  result: Result | null;
  /** Reason of the last failure. */
  error: string | null;
  /**
   * Runs started so far: 1 for a job that completed on its first run, 2 for one whose worker
   * died once before it completed. A run handed back at shutdown does not count.
   */
  attempts: number;
  /**
   * Runs that may fail before the job fails for good. A stall does not use one (it has its own
   * limit, `QUEUES__MAX_STALLED_COUNT`), so `attempts` can exceed it.
   */
  maxAttempts: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** Maps Bull's state names to ours. */
export function toJobState(status: JobStatus | 'stuck'): JobState {
  switch (status) {
    case 'active':
    case 'completed':
    case 'failed':
    case 'delayed':
      return status;
    case 'waiting':
    case 'paused':
    case 'stuck':
      return 'queued';
  }
}

/** Maps a Bull job and its state to a {@link JobInfo}. */
export function toJobInfo<Data, Result>(
  job: Job,
  status: JobStatus | 'stuck',
): JobInfo<Data, Result> {
  const progress: unknown = job.progress();
  return {
    id: String(job.id),
    name: job.name,
    state: toJobState(status),
    progress: typeof progress === 'number' ? progress : 0,
    data: job.data as Data,
    result: (job.returnvalue as Result | undefined) ?? null,
    error: job.failedReason ?? null,
    attempts: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    createdAt: new Date(job.timestamp),
    startedAt: job.processedOn ? new Date(job.processedOn) : null,
    finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
  };
}
