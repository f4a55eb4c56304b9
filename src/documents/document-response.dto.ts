import { ApiProperty } from '@nestjs/swagger';
import { DOCUMENT_STATUSES, type DocumentStatus } from './document.constants';
import type { DocumentEntity } from './document.entity';

/** A document without its content, as lists return it. */
export class DocumentSummaryResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  owner_id: string;

  @ApiProperty()
  title: string;

  @ApiProperty({ enum: DOCUMENT_STATUSES })
  status: DocumentStatus;

  @ApiProperty({ type: Number, nullable: true, description: 'Set once processed' })
  chunk_count: number | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  stats: Record<string, unknown> | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  processed_at: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ format: 'date-time' })
  updated_at: string;
}

/** A document with its content. */
export class DocumentResponseDto extends DocumentSummaryResponseDto {
  @ApiProperty()
  content: string;
}

/** Maps an entity (loaded with or without content) to its list form. */
export function toDocumentSummaryResponse(
  document: Omit<DocumentEntity, 'content'>,
): DocumentSummaryResponseDto {
  return {
    id: document.id,
    owner_id: document.ownerId,
    title: document.title,
    status: document.status,
    chunk_count: document.chunkCount,
    stats: document.stats,
    processed_at: document.processedAt?.toISOString() ?? null,
    created_at: document.createdAt.toISOString(),
    updated_at: document.updatedAt.toISOString(),
  };
}

/** Maps an entity to its full wire form. */
export function toDocumentResponse(document: DocumentEntity): DocumentResponseDto {
  return { ...toDocumentSummaryResponse(document), content: document.content };
}
