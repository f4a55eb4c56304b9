import { Injectable, Logger } from '@nestjs/common';
import { OnTaskFailed, Task, type TaskContext } from '../queues';
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
 * A job that fails for good (its last attempt threw or timed out, or it stalled more often than
 * `QUEUES__MAX_STALLED_COUNT` allows) must not leave its documents `processing` forever: the
 * `@OnTaskFailed` methods mark the job's documents still `processing` as `failed` and drop their
 * cache entries. Retried attempts leave them `processing`.
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
  async processOne(data: { doc_id: string }): Promise<{ outcome: ProcessOutcome }> {
    return { outcome: await this.processor.process(data.doc_id) };
  }

  @Task(PROCESS_DOCUMENTS, {
    queue: DOCUMENTS_QUEUE,
    attempts: PROCESSING_ATTEMPTS,
    timeoutMs: 600000,
  })
  processBatch(data: { doc_ids: string[] }): Promise<Record<string, ProcessOutcome>> {
    return this.processor.processMany(data.doc_ids);
  }

  @OnTaskFailed(PROCESS_DOCUMENT)
  async failedOne(data: { doc_id: string }, task: TaskContext): Promise<void> {
    await this.markFailed([data.doc_id], task);
  }

  @OnTaskFailed(PROCESS_DOCUMENTS)
  async failedBatch(data: { doc_ids: string[] }, task: TaskContext): Promise<void> {
    await this.markFailed(data.doc_ids, task);
  }

  private async markFailed(ids: readonly string[], task: TaskContext): Promise<void> {
    const failed = await this.processor.markFailed(ids, task.attempt);
    this.logger.warn(`Job ${task.id} failed for good; ${failed.length} document(s) marked failed`);
  }
}
