import { Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../auth';
import { type CursorPage, mapPage, type Page, type PageRequest, Paginator } from '../pagination';
import { UsersService } from '../users';
import type { DocumentStatus } from './document.constants';
import { CreateDocumentDto, UpdateDocumentDto } from './document.dto';
import {
  DocumentResponseDto,
  DocumentSummaryResponseDto,
  toDocumentResponse,
  toDocumentSummaryResponse,
} from './document-response.dto';
import { DocumentEntity } from './document.entity';
import { withStatus } from './documents.pagination';
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
    private readonly paginator: Paginator,
  ) {}

  /** Offset page of the caller's documents (every document for an admin), without content. */
  async list(
    request: PageRequest,
    principal: Principal,
    status?: DocumentStatus,
  ): Promise<Page<DocumentSummaryResponseDto>> {
    const page = await this.paginator.paginate(
      this.documents.listQuery(ownerScope(principal)),
      withStatus(request, status),
    );
    return mapPage(page, toDocumentSummaryResponse);
  }

  /** Keyset page of the caller's documents (every document for an admin), without content. */
  async listByCursor(
    request: PageRequest,
    principal: Principal,
    status?: DocumentStatus,
  ): Promise<CursorPage<DocumentSummaryResponseDto>> {
    const page = await this.paginator.paginateByCursor(
      this.documents.listQuery(ownerScope(principal)),
      withStatus(request, status),
    );
    return mapPage(page, toDocumentSummaryResponse);
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
