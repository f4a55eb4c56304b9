import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryDeepPartialEntity, Repository, SelectQueryBuilder } from 'typeorm';
import { DocumentEntity } from './document.entity';

/** Fields written when a document is created or edited. */
export type DocumentFields = Pick<
  DocumentEntity,
  'ownerId' | 'title' | 'content' | 'status' | 'chunkCount' | 'stats' | 'processedAt'
>;

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
   * Marks the documents `processing` (those the owner may see); returns the ids it changed.
   * Only the status changes, so `updated_at` still tells when the content last changed.
   */
  async markProcessing(ids: string[], ownerId?: string): Promise<string[]> {
    const query = this.repo
      .createQueryBuilder()
      .update()
      .set({ status: 'processing', updatedAt: () => 'updated_at' })
      .where('id IN (:...ids)', { ids });
    if (ownerId !== undefined) {
      query.andWhere('owner_id = :ownerId', { ownerId });
    }
    const result = await query.returning('id').execute();
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
