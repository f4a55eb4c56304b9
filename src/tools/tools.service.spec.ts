import { NotFoundException } from '@nestjs/common';
import { ToolsRepository } from './tools.repository';
import { ToolsService } from './tools.service';

describe(ToolsService.name, () => {
  let repository: jest.Mocked<
    Pick<ToolsRepository, 'findById' | 'findExistingIds' | 'update' | 'delete' | 'findAll'>
  >;
  let service: ToolsService;

  beforeEach(() => {
    repository = {
      findAll: jest.fn().mockResolvedValue([]),
      findById: jest.fn().mockResolvedValue(null),
      findExistingIds: jest.fn().mockResolvedValue(['a']),
      update: jest.fn().mockResolvedValue(false),
      delete: jest.fn().mockResolvedValue(false),
    };
    service = new ToolsService(repository as unknown as ToolsRepository);
  });

  it('should cap the list at 500 tools', async () => {
    await service.list();

    expect(repository.findAll).toHaveBeenCalledWith(500);
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
