import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../auth';
import { UsersService } from '../users';
import { CreateDocumentDto, ListDocumentsQuery, UpdateDocumentDto } from './document.dto';
import {
  DocumentListResponseDto,
  DocumentResponseDto,
  toDocumentResponse,
  toDocumentSummaryResponse,
} from './document-response.dto';
import { DocumentEntity } from './document.entity';
import { DocumentFields, DocumentsRepository } from './documents.repository';

/** Results of processing, cleared whenever the content changes. */
const UNPROCESSED = {
  status: 'pending',
  chunkCount: null,
  stats: null,
  processedAt: null,
} as const;

/**
 * Private documents: a user sees and changes only their own, an admin all of them. Anyone else's
 * document is a 404, so ids do not reveal that a document exists.
 */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly documents: DocumentsRepository,
    private readonly users: UsersService,
  ) {}

  /** The caller's documents (every document for an admin), newest first, without content. */
  async list(query: ListDocumentsQuery, principal: Principal): Promise<DocumentListResponseDto> {
    const documents = await this.documents.list({
      ownerId: ownerScope(principal),
      status: query.status,
      limit: query.limit,
    });
    return { items: documents.map(toDocumentSummaryResponse) };
  }

  /** @throws NotFoundException for an unknown id or someone else's document. */
  async get(id: string, principal: Principal): Promise<DocumentResponseDto> {
    return toDocumentResponse(await this.requireVisible(id, principal));
  }

  /** Stores a new `pending` document owned by the caller. */
  async create(dto: CreateDocumentDto, principal: Principal): Promise<DocumentResponseDto> {
    await this.users.ensureUser(principal);
    const document = await this.documents.insert({
      ownerId: principal.id,
      title: dto.title,
      content: dto.content,
      ...UNPROCESSED,
    });
    return toDocumentResponse(document);
  }

  /**
   * Changes title and/or content. New content invalidates the processing results: the document
   * goes back to `pending` with chunk count, stats and processed time cleared.
   * @throws NotFoundException for an unknown id or someone else's document.
   */
  async update(
    id: string,
    dto: UpdateDocumentDto,
    principal: Principal,
  ): Promise<DocumentResponseDto> {
    const document = await this.requireVisible(id, principal);
    const updated = await this.documents.update(document, changesOf(document, dto));
    if (!updated) {
      throw new NotFoundException(`Document ${id} not found`);
    }
    return toDocumentResponse(updated);
  }

  /** @throws NotFoundException for an unknown id or someone else's document. */
  async delete(id: string, principal: Principal): Promise<void> {
    if (!(await this.documents.delete(id, ownerScope(principal)))) {
      throw new NotFoundException(`Document ${id} not found`);
    }
  }

  /**
   * The document if the principal may see it (for routes acting on one document, such as
   * processing it).
   * @throws NotFoundException for an unknown id or someone else's document.
   */
  async requireVisible(id: string, principal: Principal): Promise<DocumentEntity> {
    const document = await this.documents.find(id, ownerScope(principal));
    if (!document) {
      throw new NotFoundException(`Document ${id} not found`);
    }
    return document;
  }
}

/** Owner filter for the principal: none for an admin, their own id for anyone else. */
function ownerScope(principal: Principal): string | undefined {
  return principal.role === 'admin' ? undefined : principal.id;
}

/** The columns an edit writes; unchanged content keeps the processing results. */
function changesOf(
  document: DocumentEntity,
  dto: UpdateDocumentDto,
): Partial<Omit<DocumentFields, 'ownerId'>> {
  const changes: Partial<Omit<DocumentFields, 'ownerId'>> = {};
  if (dto.title !== undefined && dto.title !== document.title) {
    changes.title = dto.title;
  }
  if (dto.content !== undefined && dto.content !== document.content) {
    Object.assign(changes, { content: dto.content }, UNPROCESSED);
  }
  return changes;
}
