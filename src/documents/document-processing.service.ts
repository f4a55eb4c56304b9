import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth';
import { TaskQueue } from '../queues';
import { PROCESS_DOCUMENT, PROCESS_DOCUMENTS } from './document.constants';
import type {
  BatchProcessingAcceptedResponseDto,
  ProcessingAcceptedResponseDto,
} from './document-processing.dto';
import { DocumentsRepository } from './documents.repository';

/** Starts processing: marks documents `processing` and enqueues the work for the workers. */
@Injectable()
export class DocumentProcessingService {
  constructor(
    private readonly documents: DocumentsRepository,
    private readonly tasks: TaskQueue,
  ) {}

  /** @throws NotFoundException for an unknown id or someone else's document. */
  async processOne(id: string, principal: Principal): Promise<ProcessingAcceptedResponseDto> {
    const [marked] = await this.documents.markProcessing([id], ownerScope(principal));
    if (!marked) {
      throw new NotFoundException(`Document ${id} not found`);
    }
    const taskId = await this.tasks.enqueue(
      PROCESS_DOCUMENT,
      { doc_id: id },
      { jobId: randomUUID() },
    );
    return { status: 'processing', doc_id: id, task_id: taskId };
  }

  /** Processes the caller's documents among `ids` in one job; other ids are listed as not found. */
  async processMany(
    ids: string[],
    principal: Principal,
  ): Promise<BatchProcessingAcceptedResponseDto> {
    const marked = await this.documents.markProcessing(ids, ownerScope(principal));
    const found = new Set(marked);
    const docIds = ids.filter((id) => found.has(id));
    const taskId =
      docIds.length > 0
        ? await this.tasks.enqueue(PROCESS_DOCUMENTS, { doc_ids: docIds }, { jobId: randomUUID() })
        : null;
    return {
      status: 'processing',
      doc_ids: docIds,
      not_found: ids.filter((id) => !found.has(id)),
      task_id: taskId,
    };
  }
}

function ownerScope(principal: Principal): string | undefined {
  return principal.role === 'admin' ? undefined : principal.id;
}
