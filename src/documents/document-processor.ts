import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { createHash } from 'node:crypto';
import { ResponseCacheService } from '../caching';
import { performanceConfig, ragConfig } from '../config';
import { chunkText, documentStats } from './document-chunker';
import { DocumentsRepository } from './documents.repository';

/** Outcome of processing one document. */
export type ProcessOutcome = 'processed' | 'failed' | 'skipped_edited' | 'skipped_missing';

/**
 * Chunks documents and stores their chunk count and statistics. Idempotent: results are written
 * only while the content is unchanged (md5 compare in the UPDATE), so a job run twice, or a
 * document edited meanwhile, never leaves stale results. Cache entries of the document are
 * dropped by event (`document_<id>_processed`) and by tag once its status changed.
 */
@Injectable()
export class DocumentProcessor {
  private readonly logger = new Logger(DocumentProcessor.name);

  constructor(
    private readonly documents: DocumentsRepository,
    private readonly cache: ResponseCacheService,
    @Inject(ragConfig.KEY) private readonly rag: ConfigType<typeof ragConfig>,
    @Inject(performanceConfig.KEY)
    private readonly performance: ConfigType<typeof performanceConfig>,
  ) {}

  /** Processes one document. */
  async process(id: string): Promise<ProcessOutcome> {
    const document = await this.documents.find(id);
    if (!document) {
      return 'skipped_missing';
    }
    const md5 = createHash('md5').update(document.content).digest('hex');
    // The text plus its chunks (with overlap) is held at once: about twice the UTF-8 size.
    const heldBytes = Buffer.byteLength(document.content) * 2;
    const budgetBytes = this.rag.chromaMaxMemoryMb * 1024 * 1024;
    let outcome: ProcessOutcome;
    if (heldBytes > budgetBytes) {
      this.logger.warn(`Document ${id} needs ~${heldBytes} bytes, over RAG__CHROMA_MAX_MEMORY_MB`);
      const saved = await this.documents.saveProcessing(id, md5, {
        status: 'failed',
        chunkCount: null,
        stats: { error: 'over the processing memory budget (RAG__CHROMA_MAX_MEMORY_MB)' },
        processedAt: new Date(),
      });
      outcome = saved ? 'failed' : 'skipped_edited';
    } else {
      const chunks = chunkText(document.content);
      const saved = await this.documents.saveProcessing(id, md5, {
        status: 'processed',
        chunkCount: chunks.length,
        stats: { ...documentStats(document.content, chunks) },
        processedAt: new Date(),
      });
      outcome = saved ? 'processed' : 'skipped_edited';
    }
    await this.invalidate(id);
    return outcome;
  }

  /**
   * Processes several documents: `PERFORMANCE__DOCUMENT_PROCESSING_WORKERS` at a time when
   * `PERFORMANCE__ENABLE_PARALLEL_PROCESSING`, else one after another. A document that throws
   * does not stop the others: every document is tried and every write has ended before this
   * throws (so the job is retried, and after its last attempt {@link markFailed} sees only the
   * documents that really failed, with no lane still writing).
   * @throws Error naming how many documents failed, when any did.
   */
  async processMany(ids: readonly string[]): Promise<Record<string, ProcessOutcome>> {
    const width = this.performance.enableParallelProcessing
      ? this.performance.documentProcessingWorkers
      : 1;
    const outcomes: Record<string, ProcessOutcome> = {};
    const failures: string[] = [];
    let next = 0;
    const lane = async () => {
      while (next < ids.length) {
        const id = ids[next++];
        try {
          outcomes[id] = await this.process(id);
        } catch (error) {
          failures.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(width, ids.length) }, lane));
    if (failures.length > 0) {
      throw new Error(`${failures.length} of ${ids.length} documents failed (${failures[0]})`);
    }
    return outcomes;
  }

  /**
   * Marks the documents among `ids` still `processing` as `failed` (their job failed for good)
   * and drops their cache entries like a finished processing does; returns the ids it changed.
   */
  async markFailed(ids: readonly string[], attempts: number): Promise<string[]> {
    const failed = await this.documents.markFailed(ids, {
      chunkCount: null,
      stats: { error: `processing failed ${attempts} time(s)` },
      processedAt: new Date(),
    });
    for (const id of failed) {
      await this.invalidate(id);
    }
    return failed;
  }

  private async invalidate(id: string): Promise<void> {
    try {
      await this.cache.invalidateByEvent(`document_${id}_processed`);
      await this.cache.invalidateTags([`document:${id}`, 'documents']);
    } catch (error) {
      // The cache fails open: a stale entry expires by TTL.
      this.logger.warn(`Cache invalidation for document ${id} failed: ${String(error)}`);
    }
  }
}
