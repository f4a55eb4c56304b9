import { randomUUID } from 'node:crypto';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../auth';
import { UsersService } from '../users';
import { AgentsBatchRepository } from './agents-batch.repository';
import { AgentsChanges } from './agents-changes';
import {
  BatchCreateAgentItemDto,
  BatchCreatedResponseDto,
  BatchUpdateAgentItemDto,
  BatchUpdatedResponseDto,
} from './dto/batch-agents.dto';

/** Most indexes one error message lists. */
const MAX_LISTED = 20;

/** Batch writes of agents: all items or none, in one transaction. */
@Injectable()
export class AgentsBatchService {
  constructor(
    private readonly batch: AgentsBatchRepository,
    private readonly users: UsersService,
    private readonly changes: AgentsChanges,
  ) {}

  /** Creates every item (already validated) as an agent owned by the caller. */
  async create(
    principal: Principal,
    items: BatchCreateAgentItemDto[],
  ): Promise<BatchCreatedResponseDto> {
    await this.users.ensureUser(principal);
    await this.batch.insertAll(
      items.map((item) => ({
        id: randomUUID(),
        name: item.name,
        type: item.type,
        status: item.status ?? 'active',
        description: item.description ?? null,
        config: item.config ?? {},
        owner_id: principal.id,
      })),
    );
    await this.changes.changed('agent_created');
    return { created: items.length };
  }

  /**
   * Applies every item with one UPDATE; 400 on duplicate ids, 404 naming the indexes whose
   * agents do not exist or are not the caller's (then nothing is written).
   */
  async update(
    principal: Principal,
    items: BatchUpdateAgentItemDto[],
  ): Promise<BatchUpdatedResponseDto> {
    const patches = items.map((item) => ({ ...item, id: item.id.toLowerCase() }));
    const firstIndex = new Map<string, number>();
    const duplicates: string[] = [];
    patches.forEach(({ id }, index) => {
      const first = firstIndex.get(id);
      if (first === undefined) {
        firstIndex.set(id, index);
      } else if (duplicates.length < MAX_LISTED) {
        duplicates.push(`[${index}].id duplicates [${first}].id`);
      }
    });
    if (duplicates.length > 0) {
      throw new BadRequestException(duplicates);
    }
    const missing = await this.batch.updateAll(patches, principal.id, principal.role === 'admin');
    if (missing.length > 0) {
      const indexes = missing.slice(0, MAX_LISTED).map((id) => `[${firstIndex.get(id)}]`);
      throw new NotFoundException(
        `${missing.length} agent(s) not found or not yours, nothing was updated: ${indexes.join(', ')}` +
          (missing.length > MAX_LISTED ? ', ...' : ''),
      );
    }
    await this.changes.changed(
      'agent_updated',
      patches.map((patch) => patch.id),
    );
    return { updated: patches.length };
  }
}
