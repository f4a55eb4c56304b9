import { NotFoundException } from '@nestjs/common';
import { mockOf } from '../../test/helpers/mock-of';
import type { PageRequest, Paginator } from '../pagination';
import type { ToolEntity } from './tool.entity';
import { ToolsRepository } from './tools.repository';
import { ToolsService } from './tools.service';

describe(ToolsService.name, () => {
  let repository: jest.Mocked<ToolsRepository>;
  let paginator: jest.Mocked<Paginator>;
  let service: ToolsService;
  const query = { alias: 'tool' };

  beforeEach(() => {
    repository = mockOf<ToolsRepository>({
      listQuery: jest.fn().mockReturnValue(query),
      findById: jest.fn().mockResolvedValue(null),
      findExistingIds: jest.fn().mockResolvedValue(['a']),
      update: jest.fn().mockResolvedValue(false),
      delete: jest.fn().mockResolvedValue(false),
    });
    paginator = mockOf<Paginator>({ paginate: jest.fn() });
    service = new ToolsService(repository, paginator);
  });

  it('should page the list through the paginator and map rows to responses', async () => {
    const request = { size: 20 } as PageRequest;
    const row = {
      id: 'a',
      name: 'search',
      description: null,
      kind: 'function',
      config: {},
      createdAt: new Date(0),
      updatedAt: new Date(0),
    } as ToolEntity;
    const metadata = { page: 1, size: 20 };
    paginator.paginate.mockResolvedValue({ items: [row], metadata } as never);

    const page = await service.list(request);

    expect(paginator.paginate).toHaveBeenCalledWith(query, request);
    expect(page).toEqual({
      items: [
        expect.objectContaining({ id: 'a', created_at: new Date(0), updated_at: new Date(0) }),
      ],
      metadata,
    });
  });

  it('should answer 404 for unknown tools', async () => {
    await expect(service.get('x')).rejects.toBeInstanceOf(NotFoundException);
    await expect(service.update('x', { name: 'y' })).rejects.toBeInstanceOf(NotFoundException);
    await expect(service.delete('x')).rejects.toBeInstanceOf(NotFoundException);
  });

  it('should return the existing ids as a set', async () => {
    await expect(service.findExistingIds(['a', 'b'])).resolves.toEqual(new Set(['a']));
  });

  it('should not query for an empty id list', async () => {
    await expect(service.findExistingIds([])).resolves.toEqual(new Set());

    expect(repository.findExistingIds).not.toHaveBeenCalled();
  });
});
