import { ForbiddenException, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mockOf } from '../../test/helpers/mock-of';
import type { AgentsService } from '../agents';
import type { Principal } from '../auth';
import type { PageRequest, Paginator } from '../pagination';
import { WorkflowEntity } from './workflow.entity';
import { WORKFLOWS_PAGINATION } from './workflows.pagination';
import type { WorkflowsRepository } from './workflows.repository';
import { WorkflowsService } from './workflows.service';

/** A workflow entity as the repository would return it (for unit specs). */
export function buildWorkflowEntity(overrides: Partial<WorkflowEntity> = {}): WorkflowEntity {
  const now = new Date('2025-01-01T00:00:00.000Z');
  return Object.assign(new WorkflowEntity(), {
    id: randomUUID(),
    agentId: randomUUID(),
    name: `workflow-${randomUUID().slice(0, 8)}`,
    description: null,
    definition: { steps: [] },
    status: 'draft',
    createdAt: now,
    updatedAt: now,
    ...overrides,
  });
}

const pageRequest = (overrides: Partial<PageRequest> = {}): PageRequest => ({
  resource: WORKFLOWS_PAGINATION,
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
  ...overrides,
});

describe(WorkflowsService.name, () => {
  const principal: Principal = { id: randomUUID(), role: 'user' };
  let repository: jest.Mocked<WorkflowsRepository>;
  let agents: jest.Mocked<AgentsService>;
  let paginator: jest.Mocked<Paginator>;
  let service: WorkflowsService;
  const listQuery = { kind: 'root query' };

  beforeEach(() => {
    repository = mockOf<WorkflowsRepository>({
      listQuery: jest.fn().mockReturnValue(listQuery),
      findById: jest.fn(),
      insert: jest.fn((fields) => Promise.resolve(buildWorkflowEntity(fields))),
      update: jest.fn((workflow: WorkflowEntity, fields) =>
        Promise.resolve(Object.assign(workflow, fields)),
      ),
      delete: jest.fn().mockResolvedValue(true),
    });
    agents = mockOf<AgentsService>({
      assertCanModify: jest.fn().mockResolvedValue(undefined),
      assertExists: jest.fn().mockResolvedValue(undefined),
    });
    paginator = mockOf<Paginator>({ paginate: jest.fn(), paginateByCursor: jest.fn() });
    service = new WorkflowsService(repository, agents, paginator);
  });

  describe('list', () => {
    it('should page the root query with the request and map the entities', async () => {
      const workflow = buildWorkflowEntity();
      const metadata = { page: 1, size: 20, total: 1 };
      paginator.paginate.mockResolvedValue({ items: [workflow], metadata } as never);
      const request = pageRequest();

      const page = await service.list(request);

      expect(paginator.paginate).toHaveBeenCalledWith(listQuery, request);
      expect(page.metadata).toBe(metadata);
      expect(page.items).toEqual([
        expect.objectContaining({ id: workflow.id, agent_id: workflow.agentId }),
      ]);
      expect(page.items[0]).not.toHaveProperty('agentId');
    });

    it('should add the older agent_id parameter as an agent_id filter, keeping the others', async () => {
      const agentId = randomUUID();
      const byName = {
        field: 'name',
        column: 'name',
        operator: 'ilike' as const,
        values: ['triage'],
      };
      paginator.paginateByCursor.mockResolvedValue({ items: [], metadata: {} } as never);
      const request = pageRequest({ filters: [byName] });

      await service.listByCursor(request, agentId.toUpperCase());

      expect(paginator.paginateByCursor).toHaveBeenCalledWith(listQuery, {
        ...request,
        filters: [
          byName,
          { field: 'agent_id', column: 'agent_id', operator: 'eq', values: [agentId] },
        ],
      });
      expect(request.filters).toEqual([byName]);
    });
  });

  describe('create', () => {
    it('should check the caller may modify the agent and apply the defaults', async () => {
      const agentId = randomUUID();

      const created = await service.create({ agent_id: agentId, name: 'Triage' }, principal);

      expect(agents.assertCanModify).toHaveBeenCalledWith(agentId, principal);
      expect(repository.insert).toHaveBeenCalledWith({
        agentId,
        name: 'Triage',
        description: null,
        definition: {},
        status: 'draft',
      });
      expect(created).toMatchObject({ agent_id: agentId, status: 'draft', definition: {} });
    });

    it('should not insert when the agents module refuses', async () => {
      agents.assertCanModify.mockRejectedValue(new ForbiddenException());
      await expect(
        service.create({ agent_id: randomUUID(), name: 'x' }, principal),
      ).rejects.toBeInstanceOf(ForbiddenException);
      expect(repository.insert).not.toHaveBeenCalled();
    });
  });

  describe('update and delete', () => {
    it("should check the permission on the workflow's own agent", async () => {
      const workflow = buildWorkflowEntity();
      repository.findById.mockResolvedValue(workflow);

      const updated = await service.update(workflow.id, { status: 'active' }, principal);
      await service.delete(workflow.id, principal);

      expect(agents.assertCanModify).toHaveBeenNthCalledWith(1, workflow.agentId, principal);
      expect(agents.assertCanModify).toHaveBeenNthCalledWith(2, workflow.agentId, principal);
      expect(updated.status).toBe('active');
      expect(repository.delete).toHaveBeenCalledWith(workflow.id);
    });

    it('should neither write nor delete when the caller may not modify the agent', async () => {
      repository.findById.mockResolvedValue(buildWorkflowEntity());
      agents.assertCanModify.mockRejectedValue(new ForbiddenException());

      await expect(service.update('w1', { name: 'x' }, principal)).rejects.toBeInstanceOf(
        ForbiddenException,
      );
      await expect(service.delete('w1', principal)).rejects.toBeInstanceOf(ForbiddenException);
      expect(repository.update).not.toHaveBeenCalled();
      expect(repository.delete).not.toHaveBeenCalled();
    });

    it('should answer 404 for an unknown workflow before asking about the agent', async () => {
      repository.findById.mockResolvedValue(null);

      await expect(service.get('w1')).rejects.toBeInstanceOf(NotFoundException);
      await expect(service.update('w1', {}, principal)).rejects.toBeInstanceOf(NotFoundException);
      await expect(service.delete('w1', principal)).rejects.toBeInstanceOf(NotFoundException);
      expect(agents.assertCanModify).not.toHaveBeenCalled();
    });
  });
});
