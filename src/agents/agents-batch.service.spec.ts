import { BadRequestException, NotFoundException } from '@nestjs/common';
import { mockOf } from '../../test/helpers/mock-of';
import type { Principal } from '../auth';
import { UsersService } from '../users';
import { AgentsChanges } from './agents-changes';
import { AgentsBatchRepository } from './agents-batch.repository';
import { AgentsBatchService } from './agents-batch.service';

describe(AgentsBatchService.name, () => {
  const principal: Principal = { id: '11111111-1111-4111-8111-111111111111', role: 'user' };
  const ids = ['aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'];
  let repository: jest.Mocked<AgentsBatchRepository>;
  let users: jest.Mocked<UsersService>;
  let service: AgentsBatchService;
  let changes: jest.Mocked<AgentsChanges>;

  beforeEach(() => {
    repository = mockOf<AgentsBatchRepository>({
      insertAll: jest.fn().mockResolvedValue(undefined),
      updateAll: jest.fn().mockResolvedValue([]),
    });
    users = mockOf<UsersService>({ ensureUser: jest.fn().mockResolvedValue(undefined) });
    changes = mockOf<AgentsChanges>({ changed: jest.fn().mockResolvedValue(undefined) });
    service = new AgentsBatchService(repository, users, changes);
  });

  it('should create rows owned by the caller with defaults and fresh ids', async () => {
    const result = await service.create(principal, [
      { name: 'a', type: 'task' },
      { name: 'b', type: 'coding', status: 'inactive', description: 'd', config: { x: 1 } },
    ]);

    expect(result).toEqual({ created: 2 });
    expect(users.ensureUser).toHaveBeenCalledWith(principal);
    const rows = repository.insertAll.mock.calls[0][0];
    expect(rows).toEqual([
      {
        id: expect.any(String),
        name: 'a',
        type: 'task',
        status: 'active',
        description: null,
        config: {},
        owner_id: principal.id,
      },
      {
        id: expect.any(String),
        name: 'b',
        type: 'coding',
        status: 'inactive',
        description: 'd',
        config: { x: 1 },
        owner_id: principal.id,
      },
    ]);
    expect(rows[0].id).not.toBe(rows[1].id);
  });

  it('should answer 400 naming duplicate ids, case-insensitively, before writing', async () => {
    const error = await service
      .update(principal, [{ id: ids[0] }, { id: ids[1] }, { id: ids[0].toUpperCase() }])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(BadRequestException);
    expect((error as BadRequestException).getResponse()).toMatchObject({
      message: ['[2].id duplicates [0].id'],
    });
    expect(repository.updateAll).not.toHaveBeenCalled();
  });

  it('should update as owner, or as admin for an admin', async () => {
    await expect(service.update(principal, [{ id: ids[0] }])).resolves.toEqual({ updated: 1 });
    await service.update({ ...principal, role: 'admin' }, [{ id: ids[0] }]);

    expect(repository.updateAll).toHaveBeenNthCalledWith(1, [{ id: ids[0] }], principal.id, false);
    expect(repository.updateAll).toHaveBeenNthCalledWith(2, [{ id: ids[0] }], principal.id, true);
  });

  it('should answer 404 naming the indexes of the ids not updated', async () => {
    repository.updateAll.mockResolvedValue([ids[1]]);

    const error = await service
      .update(principal, [{ id: ids[0] }, { id: ids[1] }])
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(NotFoundException);
    expect((error as NotFoundException).message).toContain('[1]');
  });
});
