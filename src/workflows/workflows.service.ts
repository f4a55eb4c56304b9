import { Injectable, NotFoundException } from '@nestjs/common';
import { AgentsService } from '../agents';
import type { Principal } from '../auth';
import { type CursorPage, mapPage, type Page, type PageRequest, Paginator } from '../pagination';
import { CreateWorkflowDto, UpdateWorkflowDto } from './workflow.dto';
import { toWorkflowResponse, WorkflowResponseDto } from './workflow-response.dto';
import { WorkflowEntity } from './workflow.entity';
import { forAgent } from './workflows.pagination';
import { WorkflowsRepository } from './workflows.repository';

/**
 * Workflows of agents. Any authenticated caller may read them; writing needs the right to
 * modify the workflow's agent (its owner or an admin), which the agents module decides.
 */
@Injectable()
export class WorkflowsService {
  constructor(
    private readonly workflows: WorkflowsRepository,
    private readonly agents: AgentsService,
    private readonly paginator: Paginator,
  ) {}

  /** Offset page of every workflow (any caller may read them), optionally of one agent. */
  async list(request: PageRequest, agentId?: string): Promise<Page<WorkflowResponseDto>> {
    const page = await this.paginator.paginate(
      this.workflows.listQuery(),
      forAgent(request, agentId),
    );
    return mapPage(page, toWorkflowResponse);
  }

  /** Keyset page: the same cost at any depth. */
  async listByCursor(
    request: PageRequest,
    agentId?: string,
  ): Promise<CursorPage<WorkflowResponseDto>> {
    const page = await this.paginator.paginateByCursor(
      this.workflows.listQuery(),
      forAgent(request, agentId),
    );
    return mapPage(page, toWorkflowResponse);
  }

  /** @throws NotFoundException for an unknown id. */
  async get(id: string): Promise<WorkflowResponseDto> {
    return toWorkflowResponse(await this.require(id));
  }

  /** @throws NotFoundException for an unknown agent, ForbiddenException when not its owner. */
  async create(dto: CreateWorkflowDto, principal: Principal): Promise<WorkflowResponseDto> {
    await this.agents.assertCanModify(dto.agent_id, principal);
    const workflow = await this.workflows.insert({
      agentId: dto.agent_id,
      name: dto.name,
      description: dto.description ?? null,
      definition: dto.definition ?? {},
      status: dto.status ?? 'draft',
    });
    return toWorkflowResponse(workflow);
  }

  /** @throws NotFoundException for an unknown id, ForbiddenException when not the agent's owner. */
  async update(
    id: string,
    dto: UpdateWorkflowDto,
    principal: Principal,
  ): Promise<WorkflowResponseDto> {
    const workflow = await this.requireModifiable(id, principal);
    const updated = await this.workflows.update(workflow, {
      name: dto.name,
      description: dto.description,
      definition: dto.definition,
      status: dto.status,
    });
    if (!updated) {
      throw new NotFoundException(`Workflow ${id} not found`);
    }
    return toWorkflowResponse(updated);
  }

  /** @throws NotFoundException for an unknown id, ForbiddenException when not the agent's owner. */
  async delete(id: string, principal: Principal): Promise<void> {
    await this.requireModifiable(id, principal);
    if (!(await this.workflows.delete(id))) {
      throw new NotFoundException(`Workflow ${id} not found`);
    }
  }

  private async require(id: string): Promise<WorkflowEntity> {
    const workflow = await this.workflows.findById(id);
    if (!workflow) {
      throw new NotFoundException(`Workflow ${id} not found`);
    }
    return workflow;
  }

  private async requireModifiable(id: string, principal: Principal): Promise<WorkflowEntity> {
    const workflow = await this.require(id);
    await this.agents.assertCanModify(workflow.agentId, principal);
    return workflow;
  }
}
