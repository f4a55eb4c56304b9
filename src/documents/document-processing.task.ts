import { Injectable } from '@nestjs/common';
import { Task } from '../queues';
import { DOCUMENTS_QUEUE, PROCESS_DOCUMENT, PROCESS_DOCUMENTS } from './document.constants';
import { DocumentProcessor, type ProcessOutcome } from './document-processor';

/** The documents queue's task handlers: thin, the processor decides. */
@Injectable()
export class DocumentProcessingTasks {
  constructor(private readonly processor: DocumentProcessor) {}

  @Task(PROCESS_DOCUMENT, { queue: DOCUMENTS_QUEUE, attempts: 3, timeoutMs: 120000 })
  async processOne(data: { doc_id: string }): Promise<{ outcome: ProcessOutcome }> {
    return { outcome: await this.processor.process(data.doc_id) };
  }

  @Task(PROCESS_DOCUMENTS, { queue: DOCUMENTS_QUEUE, attempts: 3, timeoutMs: 600000 })
  async processBatch(data: { doc_ids: string[] }): Promise<Record<string, ProcessOutcome>> {
    return this.processor.processMany(data.doc_ids);
  }
}
