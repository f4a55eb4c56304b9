import { randomUUID } from 'node:crypto';
import { DocumentEntity } from '../../src/documents/document.entity';

/** A document entity as the repository would return it (for unit specs). */
export function buildDocumentEntity(overrides: Partial<DocumentEntity> = {}): DocumentEntity {
  const now = new Date('2025-01-01T00:00:00.000Z');
  return Object.assign(new DocumentEntity(), {
    id: randomUUID(),
    ownerId: randomUUID(),
    title: `document-${randomUUID().slice(0, 8)}`,
    content: 'The quick brown fox jumps over the lazy dog.',
    status: 'pending',
    chunkCount: null,
    stats: null,
    processedAt: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  });
}

/** A processed document entity: what a content edit must reset. */
export function buildProcessedDocumentEntity(
  overrides: Partial<DocumentEntity> = {},
): DocumentEntity {
  return buildDocumentEntity({
    status: 'processed',
    chunkCount: 3,
    stats: { tokens: 42 },
    processedAt: new Date('2025-01-02T00:00:00.000Z'),
    ...overrides,
  });
}

/** A valid `POST /documents` body. */
export function createDocumentBody(overrides: Record<string, unknown> = {}) {
  return {
    title: `document-${randomUUID().slice(0, 8)}`,
    content: 'Agents plan, call tools and report back.',
    ...overrides,
  };
}
