import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { mockOf } from '../../test/helpers/mock-of';
import type { Principal } from '../auth';
import { ToolsService } from '../tools';
import { UsersService } from '../users';
import { AgentEntity } from './agent.entity';
import type { ListPaginator, Paginator } from '../pagination';
import { AgentsChanges } from './agents-changes';
import { AgentsSnapshot } from './agents-snapshot';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';

describe(AgentsService.name, () => {
  const owner: Principal = { id: '11111111-1111-4111-8111-111111111111', role: 'user' };
  const stranger: Principal = { id: '22222222-2222-4222-8222-222222222222', role: 'user' };
  const admin: Principal = { id: '33333333-3333-4333-8333-333333333333', role: 'admin' };
  const agent = {
    id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
    name: 'a',
    type: 'task',
    status: 'active',
    description: null,
    config: {},
    ownerId: owner.id,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  } as AgentEntity;
  let repository: jest.Mocked<AgentsRepository>;
  let tools: jest.Mocked<ToolsService>;
  let users: jest.Mocked<UsersService>;
  let service: AgentsService;
  let changes: jest.Mocked<AgentsChanges>;

  beforeEach(() => {
    repository = mockOf<AgentsRepository>({
      findOwnership: jest.fn().mockResolvedValue({ id: agent.id, ownerId: owner.id }),
      exists: jest.fn().mockResolvedValue(true),
      create: jest.fn().mockResolvedValue(agent),
      update: jest.fn().mockResolvedValue(agent),
      findById: jest.fn().mockResolvedValue(agent),
    });
    tools = mockOf<ToolsService>({ findExistingIds: jest.fn().mockResolvedValue(new Set(['t1'])) });
    users = mockOf<UsersService>({
      ensureUser: jest.fn().mockResolvedValue(undefined),
      findSummary: jest.fn().mockResolvedValue(null),
    });
    changes = mockOf<AgentsChanges>({ changed: jest.fn().mockResolvedValue(undefined) });
    service = new AgentsService(
      repository,
      tools,
      users,
      mockOf<Paginator>(),
      mockOf<ListPaginator>(),
      mockOf<AgentsSnapshot>(),
      changes,
    );
  });

  describe('assertCanModify', () => {
    it('should allow the owner and an admin', async () => {
      await expect(service.assertCanModify(agent.id, owner)).resolves.toBeUndefined();
      await expect(service.assertCanModify(agent.id, admin)).resolves.toBeUndefined();
    });

    it('should answer 403 to another user', async () => {
      await expect(service.assertCanModify(agent.id, stranger)).rejects.toBeInstanceOf(
        ForbiddenException,
      );
    });

    it('should answer 404 for an unknown agent', async () => {
      repository.findOwnership.mockResolvedValue(null);

      await expect(service.assertCanModify(agent.id, admin)).rejects.toBeInstanceOf(
        NotFoundException,
      );
    });
  });

  it('should answer 404 from assertExists for an unknown agent', async () => {
    repository.exists.mockResolvedValue(false);

    await expect(service.assertExists(agent.id)).rejects.toBeInstanceOf(NotFoundException);
  });

  describe('create', () => {
    it('should ensure the owner, apply defaults and deduplicate tool ids', async () => {
      await service.create(owner, { name: 'a', type: 'task', tool_ids: ['T1', 't1'] });

      expect(users.ensureUser).toHaveBeenCalledWith(owner);
      expect(repository.create).toHaveBeenCalledWith(
        {
          name: 'a',
          type: 'task',
          status: 'active',
          description: null,
          config: {},
          ownerId: owner.id,
        },
        ['t1'],
      );
      expect(changes.changed).toHaveBeenCalledWith('agent_created', [agent.id]);
    });

    it('should answer 400 naming tool_ids and the unknown ids, before writing', async () => {
      const error = await service
        .create(owner, { name: 'a', type: 'task', tool_ids: ['t1', 't2'] })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BadRequestException);
      expect(JSON.stringify((error as BadRequestException).getResponse())).toContain(
        'tool_ids contains unknown tools: t2',
      );
      expect(repository.create).not.toHaveBeenCalled();
    });
  });

  describe('update', () => {
    it('should pass only the given fields and keep the tools when tool_ids is absent', async () => {
      await service.update(agent.id, owner, { description: null });

      expect(repository.update).toHaveBeenCalledWith(agent.id, { description: null }, undefined);
      expect(changes.changed).toHaveBeenCalledWith('agent_updated', [agent.id]);
    });

    it('should answer 404 when the agent vanished meanwhile', async () => {
      repository.update.mockResolvedValue(null);

      await expect(service.update(agent.id, owner, {})).rejects.toBeInstanceOf(NotFoundException);
      expect(changes.changed).not.toHaveBeenCalled();
    });
  });

  it('should answer 404 from get for an unknown agent', async () => {
    repository.findById.mockResolvedValue(null);

    await expect(service.get(agent.id)).rejects.toBeInstanceOf(NotFoundException);
  });
});
