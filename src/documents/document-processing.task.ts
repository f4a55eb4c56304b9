import { Injectable, Logger } from '@nestjs/common';
import { Task, type TaskContext } from '../queues';
import {
  DOCUMENTS_QUEUE,
  PROCESS_DOCUMENT,
  PROCESS_DOCUMENTS,
  PROCESSING_ATTEMPTS,
} from './document.constants';
import { DocumentProcessor, type ProcessOutcome } from './document-processor';

/**
 * The documents queue's task handlers: thin, the processor decides.
 *
 * A job that fails for good must not leave its documents `processing` forever. The handler
 * knows which attempt it runs (`TaskContext.attempt`), and the jobs' attempts are
 * {@link PROCESSING_ATTEMPTS} (set here, never overridden at enqueue; Bull fails a job for good
 * once an attempt numbered that or more throws). So when such an attempt throws, the handler
 * marks the job's documents still `processing` as `failed` (and drops their cache entries), then
 * rethrows so Bull files the job in the dead list; an earlier attempt only rethrows, and the
 * documents stay `processing` through the retries. This needs no Bull event listener and runs in
 * the worker that saw the error, after every write of the attempt has ended.
 *
 * Not covered, because Bull fails the job without the handler throwing: a last attempt that
 * outlives the task's `timeoutMs` and never ends, and a job whose worker died more often than
 * `QUEUES__MAX_STALLED_COUNT` allows. Their documents stay `processing` until processed again.
 */
@Injectable()
export class DocumentProcessingTasks {
  private readonly logger = new Logger(DocumentProcessingTasks.name);

  constructor(private readonly processor: DocumentProcessor) {}

  @Task(PROCESS_DOCUMENT, {
    queue: DOCUMENTS_QUEUE,
    attempts: PROCESSING_ATTEMPTS,
    timeoutMs: 120000,
  })
  async processOne(
    data: { doc_id: string },
    task: TaskContext,
  ): Promise<{ outcome: ProcessOutcome }> {
    return this.failingForGood([data.doc_id], task, async () => ({
      outcome: await this.processor.process(data.doc_id),
    }));
  }

  @Task(PROCESS_DOCUMENTS, {
    queue: DOCUMENTS_QUEUE,
    attempts: PROCESSING_ATTEMPTS,
    timeoutMs: 600000,
  })
  async processBatch(
    data: { doc_ids: string[] },
    task: TaskContext,
  ): Promise<Record<string, ProcessOutcome>> {
    return this.failingForGood(data.doc_ids, task, () => this.processor.processMany(data.doc_ids));
  }

  /** Runs `work`; when the last attempt throws, marks the documents `failed` first. */
  private async failingForGood<Result>(
    ids: readonly string[],
    task: TaskContext,
    work: () => Promise<Result>,
  ): Promise<Result> {
    try {
      return await work();
    } catch (error) {
      if (task.attempt >= PROCESSING_ATTEMPTS) {
        await this.markFailed(ids, task);
      }
      throw error;
    }
  }

  private async markFailed(ids: readonly string[], task: TaskContext): Promise<void> {
    try {
      const failed = await this.processor.markFailed(ids, task.attempt);
      this.logger.warn(
        `Job ${task.id} failed its last attempt; ${failed.length} document(s) marked failed`,
      );
    } catch (error) {
      // The job's own error is the one to report; this one only leaves the documents `processing`.
      this.logger.error(
        `Job ${task.id}: could not mark its documents failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
