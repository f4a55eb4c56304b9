import {
  BadRequestException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { Principal } from '../auth';
import { ToolsService } from '../tools';
import { UsersService } from '../users';
import {
  type CursorPage,
  ListPaginator,
  mapPage,
  type Page,
  type PageRequest,
  Paginator,
} from '../pagination';
import { AgentEntity } from './agent.entity';
import { AgentsChanges } from './agents-changes';
import { AgentsSnapshot } from './agents-snapshot';
import { AgentFields, AgentsRepository } from './agents.repository';
import { AgentDetailResponseDto, toAgentDetailResponse } from './dto/agent-detail-response.dto';
import { AgentResponseDto, toAgentResponse } from './dto/agent-response.dto';
import { CreateAgentDto } from './dto/create-agent.dto';
import { UpdateAgentDto, UpdateAgentFieldsDto } from './dto/update-agent.dto';

/** Agents: reads are public; writes belong to the owner or an admin. */
@Injectable()
export class AgentsService {
  constructor(
    private readonly agents: AgentsRepository,
    private readonly tools: ToolsService,
    private readonly users: UsersService,
    private readonly paginator: Paginator,
    private readonly listPaginator: ListPaginator,
    private readonly snapshot: AgentsSnapshot,
    private readonly changes: AgentsChanges,
  ) {}

  /** Offset page with filters, sorting and the resource's count strategy. */
  async list(request: PageRequest): Promise<Page<AgentResponseDto>> {
    return mapPage(
      await this.paginator.paginate(this.agents.listQuery(), request),
      toAgentResponse,
    );
  }

  /** Keyset page: the same cost at any depth. */
  async listByCursor(request: PageRequest): Promise<CursorPage<AgentResponseDto>> {
    const page = await this.paginator.paginateByCursor(this.agents.listQuery(), request);
    return mapPage(page, toAgentResponse);
  }

  /** Offset page of the in-memory snapshot of the newest agents. */
  async listFromMemory(request: PageRequest): Promise<Page<AgentResponseDto>> {
    const agents = await this.snapshot.get();
    return mapPage(this.listPaginator.paginate(agents, request, agentField), toAgentResponse);
  }

  /** The agent with tools, workflows and owner: 4 queries whatever the number of tools. */
  async get(id: string): Promise<AgentDetailResponseDto> {
    const agent = await this.agents.findById(id);
    if (!agent) {
      throw new NotFoundException(`Agent ${id} not found`);
    }
    const [tools, workflows, owner] = await Promise.all([
      this.agents.findTools(id),
      this.agents.findWorkflowSummaries(id),
      agent.ownerId ? this.users.findSummary(agent.ownerId) : null,
    ]);
    return toAgentDetailResponse(agent, tools, workflows, owner);
  }

  async create(principal: Principal, dto: CreateAgentDto): Promise<AgentResponseDto> {
    const toolIds = await this.resolveToolIds(dto.tool_ids);
    await this.users.ensureUser(principal);
    const agent = await this.agents.create(
      { status: 'active', description: null, config: {}, ...toFields(dto), ownerId: principal.id },
      toolIds ?? [],
    );
    await this.changes.changed('agent_created', [agent.id]);
    return toAgentResponse(agent);
  }

  async update(id: string, principal: Principal, dto: UpdateAgentDto): Promise<AgentResponseDto> {
    await this.assertCanModify(id, principal);
    const toolIds = await this.resolveToolIds(dto.tool_ids);
    const agent = await this.agents.update(id, toFields(dto), toolIds);
    if (!agent) {
      throw new NotFoundException(`Agent ${id} not found`);
    }
    await this.changes.changed('agent_updated', [id]);
    return toAgentResponse(agent);
  }

  async delete(id: string, principal: Principal): Promise<void> {
    await this.assertCanModify(id, principal);
    if (!(await this.agents.delete(id))) {
      throw new NotFoundException(`Agent ${id} not found`);
    }
    await this.changes.changed('agent_deleted', [id]);
  }

  /**
   * Throws unless the principal may change the agent: 404 when it does not exist, 403 when the
   * caller is neither its owner nor an admin. One query.
   */
  async assertCanModify(agentId: string, principal: Principal): Promise<void> {
    const agent = await this.agents.findOwnership(agentId);
    if (!agent) {
      throw new NotFoundException(`Agent ${agentId} not found`);
    }
    if (principal.role !== 'admin' && agent.ownerId !== principal.id) {
      throw new ForbiddenException('Only the owner or an admin can change this agent');
    }
  }

  /** Throws a 404 when the agent does not exist. One query. */
  async assertExists(agentId: string): Promise<void> {
    if (!(await this.agents.exists(agentId))) {
      throw new NotFoundException(`Agent ${agentId} not found`);
    }
  }

  /** Deduplicated, lower-cased tool ids, all existing (else a 400 naming the unknown ones). */
  private async resolveToolIds(toolIds: string[] | undefined): Promise<string[] | undefined> {
    if (toolIds === undefined) {
      return undefined;
    }
    const ids = [...new Set(toolIds.map((id) => id.toLowerCase()))];
    const existing = await this.tools.findExistingIds(ids);
    const missing = ids.filter((id) => !existing.has(id));
    if (missing.length > 0) {
      throw new BadRequestException([`tool_ids contains unknown tools: ${missing.join(', ')}`]);
    }
    return ids;
  }
}

/** Reads a list field of an agent by its wire (snake_case) name. */
function agentField(agent: AgentEntity, field: string): unknown {
  switch (field) {
    case 'owner_id':
      return agent.ownerId;
    case 'created_at':
      return agent.createdAt;
    case 'updated_at':
      return agent.updatedAt;
    default:
      return (agent as unknown as Record<string, unknown>)[field];
  }
}

/** The DTO's given fields as entity fields (absent fields stay absent). */
function toFields(dto: UpdateAgentFieldsDto): AgentFields {
  return {
    ...(dto.name !== undefined && { name: dto.name }),
    ...(dto.type !== undefined && { type: dto.type }),
    ...(dto.status !== undefined && { status: dto.status }),
    ...(dto.description !== undefined && { description: dto.description }),
    ...(dto.config !== undefined && { config: dto.config }),
  };
}
