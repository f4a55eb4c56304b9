import { NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mockOf } from '../../test/helpers/mock-of';
import type { Principal } from '../auth';
import type { PageRequest, Paginator } from '../pagination';
import type { UsersService } from '../users';
import { DocumentEntity } from './document.entity';
import { DOCUMENTS_PAGINATION } from './documents.pagination';
import type { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';

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

const pageRequest = (): PageRequest => ({
  resource: DOCUMENTS_PAGINATION,
  page: 1,
  size: 20,
  offset: 0,
  sort: [
    { field: 'created_at', column: 'created_at', order: 'desc' },
    { field: 'id', column: 'id', order: 'desc' },
  ],
  filters: [],
  count: 'exact',
  signature: 'sig',
  query: {},
});

describe(DocumentsService.name, () => {
  const user: Principal = { id: randomUUID(), role: 'user' };
  const admin: Principal = { id: randomUUID(), role: 'admin' };
  let repository: jest.Mocked<DocumentsRepository>;
  let users: jest.Mocked<UsersService>;
  let paginator: jest.Mocked<Paginator>;
  let service: DocumentsService;
  const listQuery = { kind: 'root query' };

  beforeEach(() => {
    repository = mockOf<DocumentsRepository>({
      listQuery: jest.fn().mockReturnValue(listQuery),
      find: jest.fn(),
      insert: jest.fn((fields) => Promise.resolve(buildDocumentEntity(fields))),
      update: jest.fn((document: DocumentEntity, fields) =>
        Promise.resolve(Object.assign(document, fields)),
      ),
      delete: jest.fn().mockResolvedValue(true),
    });
    users = mockOf<UsersService>({ ensureUser: jest.fn().mockResolvedValue(undefined) });
    paginator = mockOf<Paginator>({
      paginate: jest.fn().mockResolvedValue({ items: [], metadata: {} }),
      paginateByCursor: jest.fn().mockResolvedValue({ items: [], metadata: {} }),
    });
    service = new DocumentsService(repository, users, paginator);
  });

  describe('visibility', () => {
    it("should page a user's lists from a root query scoped to their own documents", async () => {
      const request = pageRequest();

      await service.list(request, user);
      await service.listByCursor(request, user);
      await service.delete('d1', user);

      expect(repository.listQuery).toHaveBeenNthCalledWith(1, user.id);
      expect(repository.listQuery).toHaveBeenNthCalledWith(2, user.id);
      expect(paginator.paginate).toHaveBeenCalledWith(listQuery, request);
      expect(paginator.paginateByCursor).toHaveBeenCalledWith(listQuery, request);
      expect(repository.delete).toHaveBeenCalledWith('d1', user.id);
    });

    it('should not scope an admin to an owner', async () => {
      repository.find.mockResolvedValue(buildDocumentEntity());
      await service.list(pageRequest(), admin);
      await service.get('d1', admin);
      expect(repository.listQuery).toHaveBeenCalledWith(undefined);
      expect(repository.find).toHaveBeenCalledWith('d1', undefined);
    });

    it("should answer 404 when the document is missing or not the caller's", async () => {
      repository.find.mockResolvedValue(null);
      repository.delete.mockResolvedValue(false);
      await expect(service.get('d1', user)).rejects.toBeInstanceOf(NotFoundException);
      await expect(service.update('d1', { title: 'x' }, user)).rejects.toBeInstanceOf(
        NotFoundException,
      );
      await expect(service.delete('d1', user)).rejects.toBeInstanceOf(NotFoundException);
      expect(repository.update).not.toHaveBeenCalled();
    });
  });

  describe('list', () => {
    it('should map the page items without content and keep the metadata', async () => {
      const document = buildProcessedDocumentEntity({ ownerId: user.id });
      const metadata = { page: 1, size: 20, total: 1 };
      paginator.paginate.mockResolvedValue({ items: [document], metadata } as never);

      const page = await service.list(pageRequest(), user);

      expect(page.metadata).toBe(metadata);
      expect(page.items).toEqual([
        expect.objectContaining({ id: document.id, owner_id: user.id, chunk_count: 3 }),
      ]);
      expect(page.items[0]).not.toHaveProperty('content');
    });

    it('should add the older status parameter as a status filter', async () => {
      const request = pageRequest();

      await service.list(request, user, 'failed');

      expect(paginator.paginate).toHaveBeenCalledWith(listQuery, {
        ...request,
        filters: [{ field: 'status', column: 'status', operator: 'eq', values: ['failed'] }],
      });
    });
  });

  describe('create', () => {
    it('should ensure the users row before inserting a pending document owned by the caller', async () => {
      const order: string[] = [];
      users.ensureUser.mockImplementation(() => {
        order.push('ensureUser');
        return Promise.resolve();
      });
      repository.insert.mockImplementation((fields) => {
        order.push('insert');
        return Promise.resolve(buildDocumentEntity(fields));
      });

      const created = await service.create({ title: 'T', content: 'C' }, user);

      expect(order).toEqual(['ensureUser', 'insert']);
      expect(users.ensureUser).toHaveBeenCalledWith(user);
      expect(created).toMatchObject({
        owner_id: user.id,
        title: 'T',
        content: 'C',
        status: 'pending',
      });
    });
  });

  describe('update', () => {
    it('should reset the processing results when the content changes', async () => {
      const document = buildProcessedDocumentEntity({ ownerId: user.id });
      repository.find.mockResolvedValue(document);

      const updated = await service.update(document.id, { content: 'new text' }, user);

      expect(repository.update).toHaveBeenCalledWith(document, {
        content: 'new text',
        status: 'pending',
        chunkCount: null,
        stats: null,
        processedAt: null,
      });
      expect(updated).toMatchObject({
        content: 'new text',
        status: 'pending',
        chunk_count: null,
        stats: null,
        processed_at: null,
      });
    });

    it('should keep the processing results when only the title changes', async () => {
      const document = buildProcessedDocumentEntity({ ownerId: user.id });
      repository.find.mockResolvedValue(document);

      const updated = await service.update(document.id, { title: 'Renamed' }, user);

      expect(repository.update).toHaveBeenCalledWith(document, { title: 'Renamed' });
      expect(updated).toMatchObject({ title: 'Renamed', status: 'processed', chunk_count: 3 });
    });

    it('should keep the processing results when the content is sent unchanged', async () => {
      const document = buildProcessedDocumentEntity({ ownerId: user.id });
      repository.find.mockResolvedValue(document);

      await service.update(document.id, { content: document.content }, user);

      expect(repository.update).toHaveBeenCalledWith(document, {});
    });

    it('should answer 404 when the document is deleted during the update', async () => {
      repository.find.mockResolvedValue(buildDocumentEntity({ ownerId: user.id }));
      repository.update.mockResolvedValue(null);
      await expect(service.update('d1', { title: 'x' }, user)).rejects.toBeInstanceOf(
        NotFoundException,
      );
    });
  });
});
