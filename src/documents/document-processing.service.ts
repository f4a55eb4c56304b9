import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth';
import { InjectJobQueue, JobQueue } from '../queues';
import { DOCUMENTS_QUEUE, PROCESS_DOCUMENT, PROCESS_DOCUMENTS } from './document.constants';
import type {
  BatchProcessingAcceptedResponseDto,
  ProcessingAcceptedResponseDto,
} from './document-processing.dto';
import { DocumentsRepository, type MarkedDocument } from './documents.repository';

/**
 * Starts processing: marks documents `processing` and enqueues the work for the workers. When
 * the enqueue fails (queue unavailable: 503), the documents go back to the status they had, so
 * none stays `processing` with no job to finish it.
 */
@Injectable()
export class DocumentProcessingService {
  private readonly logger = new Logger(DocumentProcessingService.name);

  constructor(
    private readonly documents: DocumentsRepository,
    @InjectJobQueue(DOCUMENTS_QUEUE) private readonly queue: JobQueue,
  ) {}

  /** @throws NotFoundException for an unknown id or someone else's document. */
  async processOne(id: string, principal: Principal): Promise<ProcessingAcceptedResponseDto> {
    const marked = await this.documents.markProcessing([id], ownerScope(principal));
    if (marked.length === 0) {
      throw new NotFoundException(`Document ${id} not found`);
    }
    const taskId = await this.enqueueOrRestore(marked, () =>
      this.queue.enqueue(PROCESS_DOCUMENT, { doc_id: id }, { jobId: randomUUID() }),
    );
    return { status: 'processing', doc_id: id, task_id: taskId };
  }

  /** Processes the caller's documents among `ids` in one job; other ids are listed as not found. */
  async processMany(
    ids: string[],
    principal: Principal,
  ): Promise<BatchProcessingAcceptedResponseDto> {
    const marked = await this.documents.markProcessing(ids, ownerScope(principal));
    const found = new Set(marked.map((document) => document.id));
    const docIds = ids.filter((id) => found.has(id));
    const taskId =
      docIds.length > 0
        ? await this.enqueueOrRestore(marked, () =>
            this.queue.enqueue(PROCESS_DOCUMENTS, { doc_ids: docIds }, { jobId: randomUUID() }),
          )
        : null;
    return {
      status: 'processing',
      doc_ids: docIds,
      not_found: ids.filter((id) => !found.has(id)),
      task_id: taskId,
    };
  }

  /**
   * Enqueues; if that fails, puts the marked documents back to their previous status and
   * rethrows the enqueue's error (the client's 503).
   */
  private async enqueueOrRestore(
    marked: readonly MarkedDocument[],
    enqueue: () => Promise<string>,
  ): Promise<string> {
    try {
      return await enqueue();
    } catch (error) {
      try {
        await this.documents.restoreStatus(marked);
      } catch (restoreError) {
        this.logger.error(
          `Restoring the status of ${marked.length} document(s) after a failed enqueue failed: ${
            restoreError instanceof Error ? restoreError.message : String(restoreError)
          }`,
        );
      }
      throw error;
    }
  }
}

function ownerScope(principal: Principal): string | undefined {
  return principal.role === 'admin' ? undefined : principal.id;
}
