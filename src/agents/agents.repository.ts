import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  DataSource,
  EntityManager,
  Repository,
  SelectQueryBuilder,
  type QueryDeepPartialEntity,
} from 'typeorm';
import { queryForRead } from '../persistence';
import type { ToolEntity } from '../tools';
import { AgentEntity } from './agent.entity';
import { AgentWorkflowSummaryDto } from './dto/agent-detail-response.dto';

/** Writable columns of an agent. */
export type AgentFields = Partial<
  Pick<AgentEntity, 'name' | 'type' | 'status' | 'description' | 'config' | 'ownerId'>
>;

// TypeORM's deep-partial type cannot express `unknown` JSON values, so jsonb columns need a cast.
const asValues = (values: AgentFields): QueryDeepPartialEntity<AgentEntity> =>
  values as QueryDeepPartialEntity<AgentEntity>;

/** Data access for agents and their `agent_tools` join table. */
@Injectable()
export class AgentsRepository {
  constructor(
    @InjectRepository(AgentEntity) private readonly agents: Repository<AgentEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Newest first (id breaks ties, so the order is stable). */
  findNewest(limit: number): Promise<AgentEntity[]> {
    return this.agents.find({ order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /** The root-table query that list pages start from (no joins: counts stay cheap). */
  listQuery(): SelectQueryBuilder<AgentEntity> {
    return this.agents.createQueryBuilder('agent');
  }

  findById(id: string): Promise<AgentEntity | null> {
    return this.agents.findOneBy({ id });
  }

  /** Just enough of the agent to authorize a change. */
  findOwnership(id: string): Promise<Pick<AgentEntity, 'id' | 'ownerId'> | null> {
    return this.agents.findOne({ select: { id: true, ownerId: true }, where: { id } });
  }

  exists(id: string): Promise<boolean> {
    return this.agents.existsBy({ id });
  }

  /** The agent's tools by name, in one query through the join table. */
  async findTools(id: string): Promise<ToolEntity[]> {
    const tools = await this.agents
      .createQueryBuilder()
      .relation(AgentEntity, 'tools')
      .of(id)
      .loadMany<ToolEntity>();
    return tools.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * The agent's workflows, oldest first (id breaks ties), in one query. The workflows table belongs to the
   * workflows module; reading these four columns here avoids a module cycle.
   */
  findWorkflowSummaries(id: string): Promise<AgentWorkflowSummaryDto[]> {
    return queryForRead(
      this.dataSource,
      'SELECT id, name, status, created_at FROM workflows WHERE agent_id = $1 ORDER BY created_at, id',
      [id],
    );
  }

  /** Inserts the agent and its tools (in one transaction when there are tools). */
  async create(fields: AgentFields, toolIds: readonly string[]): Promise<AgentEntity> {
    const agent = this.agents.create(fields);
    const insert = async (manager: EntityManager): Promise<AgentEntity> => {
      // Generated and default columns are read back by the INSERT's RETURNING.
      await manager.insert(AgentEntity, asValues(agent));
      await this.insertTools(manager, agent.id, toolIds);
      return agent;
    };
    return toolIds.length === 0 ? insert(this.agents.manager) : this.dataSource.transaction(insert);
  }

  /**
   * Applies the fields and, when given, replaces the tool set; returns the updated agent or
   * null when it no longer exists.
   */
  async update(
    id: string,
    fields: AgentFields,
    toolIds: readonly string[] | undefined,
  ): Promise<AgentEntity | null> {
    const apply = async (manager: EntityManager): Promise<AgentEntity | null> => {
      const result = await manager.update(
        AgentEntity,
        { id },
        {
          ...asValues(fields),
          updatedAt: () => 'now()',
        },
      );
      if (!result.affected) {
        return null;
      }
      if (toolIds !== undefined) {
        await manager.query('DELETE FROM agent_tools WHERE agent_id = $1', [id]);
        await this.insertTools(manager, id, toolIds);
      }
      return manager.findOneBy(AgentEntity, { id });
    };
    return toolIds === undefined ? apply(this.agents.manager) : this.dataSource.transaction(apply);
  }

  /** Deletes the agent (its tool links and workflows cascade); false when unknown. */
  async delete(id: string): Promise<boolean> {
    const result = await this.agents.delete({ id });
    return (result.affected ?? 0) > 0;
  }

  private async insertTools(
    manager: EntityManager,
    agentId: string,
    toolIds: readonly string[],
  ): Promise<void> {
    if (toolIds.length > 0) {
      await manager.query(
        'INSERT INTO agent_tools (agent_id, tool_id) SELECT $1, unnest($2::uuid[])',
        [agentId, toolIds],
      );
    }
  }
}
