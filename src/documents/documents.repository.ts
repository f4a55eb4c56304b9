import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryDeepPartialEntity, Repository, SelectQueryBuilder } from 'typeorm';
import type { DocumentStatus } from './document.constants';
import { DocumentEntity } from './document.entity';

/** Fields written when a document is created or edited. */
export type DocumentFields = Pick<
  DocumentEntity,
  'ownerId' | 'title' | 'content' | 'status' | 'chunkCount' | 'stats' | 'processedAt'
>;

/** A document {@link DocumentsRepository.markProcessing} changed, with its status before. */
export interface MarkedDocument {
  id: string;
  previousStatus: DocumentStatus;
}

/** A document loaded for a list: everything but the (up to 5 MiB) content. */
export type DocumentSummary = Omit<DocumentEntity, 'content'>;

const LIST_ALIAS = 'document';
const SUMMARY_COLUMNS: ReadonlyArray<keyof DocumentSummary> = [
  'id',
  'ownerId',
  'title',
  'status',
  'chunkCount',
  'stats',
  'processedAt',
  'createdAt',
  'updatedAt',
];

// Every method takes an optional `ownerId`: set, it scopes the statement to that owner's rows
// (the service decides when); undefined means any owner. The jsonb `stats` does not fit
// TypeORM's QueryDeepPartialEntity typing, hence the casts at the write calls.

/** Data access of the `documents` table; one statement per method. */
@Injectable()
export class DocumentsRepository {
  constructor(
    @InjectRepository(DocumentEntity) private readonly repo: Repository<DocumentEntity>,
  ) {}

  /**
   * The root-table query list pages start from: every column but the content, already scoped to
   * the owner (the paginator only adds its filters with AND, so the scope always holds).
   */
  listQuery(ownerId?: string): SelectQueryBuilder<DocumentEntity> {
    const query = this.repo
      .createQueryBuilder(LIST_ALIAS)
      .select(SUMMARY_COLUMNS.map((column) => `${LIST_ALIAS}.${column}`));
    return ownerId === undefined
      ? query
      : query.where(`${LIST_ALIAS}.ownerId = :listOwnerId`, { listOwnerId: ownerId });
  }

  find(id: string, ownerId?: string): Promise<DocumentEntity | null> {
    return this.repo.findOneBy(ownerId === undefined ? { id } : { id, ownerId });
  }

  /** Inserts the row and returns it with the generated id and timestamps. */
  async insert(fields: DocumentFields): Promise<DocumentEntity> {
    const document = this.repo.create(fields);
    await this.repo.insert(document as QueryDeepPartialEntity<DocumentEntity>);
    return document;
  }

  /**
   * Writes `fields` onto the loaded row and returns it; null when the row is gone meanwhile.
   */
  async update(
    document: DocumentEntity,
    fields: Partial<Omit<DocumentFields, 'ownerId'>>,
  ): Promise<DocumentEntity | null> {
    if (Object.keys(fields).length === 0) {
      return document;
    }
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set(fields as QueryDeepPartialEntity<DocumentEntity>)
      .where('id = :id', { id: document.id })
      .returning('updated_at')
      .execute();
    const [row] = result.raw as { updated_at: Date }[];
    return row ? Object.assign(document, fields, { updatedAt: row.updated_at }) : null;
  }

  /** Deletes the row; false when no row had the id (or it had another owner). */
  async delete(id: string, ownerId?: string): Promise<boolean> {
    const result = await this.repo.delete(ownerId === undefined ? { id } : { id, ownerId });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Marks the documents `processing` (those the owner may see); returns the ids it changed with
   * the status each had before, so a failed enqueue can put them back ({@link restoreStatus}).
   * One statement: the rows are locked while their old status is read, so a concurrent change
   * cannot slip in between. Only the status changes, so `updated_at` still tells when the content
   * last changed.
   */
  async markProcessing(ids: string[], ownerId?: string): Promise<MarkedDocument[]> {
    // For UPDATE ... RETURNING, TypeORM's query() resolves to [rows, affected count].
    const [rows] = await this.repo.query<
      [Array<{ id: string; previous_status: DocumentStatus }>, number]
    >(
      `UPDATE documents AS document SET status = 'processing'
       FROM (
         SELECT id, status FROM documents
         WHERE id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR owner_id = $2::uuid)
         FOR UPDATE
       ) AS previous
       WHERE document.id = previous.id
       RETURNING document.id, previous.status AS previous_status`,
      [ids, ownerId ?? null],
    );
    return rows.map((row) => ({ id: row.id, previousStatus: row.previous_status }));
  }

  /**
   * Puts documents still `processing` back to the status they had before {@link markProcessing};
   * one edited meanwhile (back to `pending`) or already processed by a job is left as it is.
   */
  async restoreStatus(marked: readonly MarkedDocument[]): Promise<void> {
    if (marked.length === 0) {
      return;
    }
    await this.repo.query(
      `UPDATE documents AS document SET status = previous.status
       FROM unnest($1::uuid[], $2::varchar[]) AS previous (id, status)
       WHERE document.id = previous.id AND document.status = 'processing'`,
      [marked.map((m) => m.id), marked.map((m) => m.previousStatus)],
    );
  }

  /**
   * Marks the documents among `ids` still `processing` as `failed` with `fields`; returns the ids
   * it changed. One edited meanwhile (`pending`) or processed after all is left as it is.
   */
  async markFailed(
    ids: readonly string[],
    fields: Pick<DocumentEntity, 'chunkCount' | 'stats' | 'processedAt'>,
  ): Promise<string[]> {
    if (ids.length === 0) {
      return [];
    }
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set({
        ...fields,
        status: 'failed',
        updatedAt: () => 'updated_at',
      } as QueryDeepPartialEntity<DocumentEntity>)
      .where('id IN (:...ids) AND status = :processing', { ids, processing: 'processing' })
      .returning('id')
      .execute();
    return (result.raw as { id: string }[]).map((row) => row.id);
  }

  /**
   * Writes processing results only if the content is still the one processed (its md5), so an
   * edit made meanwhile wins; returns whether the row was written.
   */
  async saveProcessing(
    id: string,
    contentMd5: string,
    fields: Pick<DocumentEntity, 'status' | 'chunkCount' | 'stats' | 'processedAt'>,
  ): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set({ ...fields, updatedAt: () => 'updated_at' } as QueryDeepPartialEntity<DocumentEntity>)
      .where('id = :id AND md5(content) = :contentMd5', { id, contentMd5 })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
