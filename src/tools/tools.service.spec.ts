import { NotFoundException } from '@nestjs/common';
import { mockOf } from '../../test/helpers/mock-of';
import { JsonPage, type OffsetPageMetadata, type PageRequest, type Paginator } from '../pagination';
import { ToolsRepository } from './tools.repository';
import { ToolsService } from './tools.service';

describe(ToolsService.name, () => {
  let repository: jest.Mocked<ToolsRepository>;
  let paginator: jest.Mocked<Paginator>;
  let service: ToolsService;
  const source = { table: 'tools' };

  beforeEach(() => {
    repository = mockOf<ToolsRepository>({
      listSource: jest.fn().mockReturnValue(source),
      findById: jest.fn().mockResolvedValue(null),
      findExistingIds: jest.fn().mockResolvedValue(['a']),
      update: jest.fn().mockResolvedValue(false),
      delete: jest.fn().mockResolvedValue(false),
    });
    paginator = mockOf<Paginator>({ paginateSource: jest.fn() });
    service = new ToolsService(repository, paginator);
  });

  it('should page the list source through the paginator', async () => {
    const request = { size: 20 } as PageRequest;
    const page = new JsonPage({ page: 1 } as OffsetPageMetadata, '{"items":[]}');
    paginator.paginateSource.mockResolvedValue(page);

    await expect(service.list(request)).resolves.toBe(page);

    expect(paginator.paginateSource).toHaveBeenCalledWith(source, request);
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
