import { SetMetadata } from '@nestjs/common';
import { TASK_FAILED_METADATA } from '../queues.constants';

/**
 * Makes a provider method run once a job of a named task (one or more names) has failed for good: its last attempt
 * threw or timed out, or it stalled more often than `QUEUES__MAX_STALLED_COUNT` allows (a worker
 * kept dying under it). Retried attempts do not call it. It runs in the worker process that saw the
 * failure, gets the job data, a `TaskContext` and the error; what it throws is logged, never
 * rethrown. Use it to settle what the job leaves behind (a record still marked in progress).
 * The boot fails when no `@Task` has one of the names.
 *
 * @example
 * ```ts
 * @OnTaskFailed('process_document')
 * async settle(data: { doc_id: string }, task: TaskContext, error: Error): Promise<void> {
 *   await this.documents.markFailed([data.doc_id], error.message);
 * }
 * ```
 * @publicApi
 */
export const OnTaskFailed = (...names: [string, ...string[]]): MethodDecorator =>
  SetMetadata(TASK_FAILED_METADATA, names);
