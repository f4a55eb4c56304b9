import { ConflictException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { mockOf } from '../../test/helpers/mock-of';
import type { Paginator } from '../pagination';
import type { TemplatesRepository } from './templates.repository';
import { TemplatesService } from './templates.service';

function driverFailure(code: string): QueryFailedError {
  return new QueryFailedError('INSERT ...', [], Object.assign(new Error('driver'), { code }));
}

describe(TemplatesService.name, () => {
  let repository: jest.Mocked<TemplatesRepository>;
  let service: TemplatesService;

  beforeEach(() => {
    repository = mockOf<TemplatesRepository>({
      listQuery: jest.fn(),
      findById: jest.fn(),
      insert: jest.fn(),
      update: jest.fn(),
      delete: jest.fn(),
    });
    service = new TemplatesService(repository, mockOf<Paginator>());
  });

  it('should turn a unique violation into a 409 naming the field', async () => {
    repository.insert.mockRejectedValue(driverFailure('23505'));

    const error = await service
      .create({ name: 'Research agent', type: 'research' })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConflictException);
    expect((error as ConflictException).message).toMatch(/^name: .*Research agent/);
  });

  it('should let other database failures through unchanged', async () => {
    const failure = driverFailure('57014');
    repository.insert.mockRejectedValue(failure);
    await expect(service.create({ name: 'x', type: 'y' })).rejects.toBe(failure);
  });

  it('should answer 404 for an unknown id', async () => {
    repository.findById.mockResolvedValue(null);
    repository.delete.mockResolvedValue(false);
    await expect(service.get('t1')).rejects.toBeInstanceOf(NotFoundException);
    await expect(service.update('t1', { name: 'x' })).rejects.toBeInstanceOf(NotFoundException);
    await expect(service.delete('t1')).rejects.toBeInstanceOf(NotFoundException);
  });
});
