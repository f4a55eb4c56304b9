import { Injectable } from '@nestjs/common';
import { Paginator } from '../pagination';
import { AgentsSnapshot } from './agents-snapshot';
import { AGENTS_PAGINATION } from './agents.pagination';

/** What happened to agents; the names are the guide's invalidation events. */
export type AgentEvent = 'agent_created' | 'agent_updated' | 'agent_deleted';

/**
 * The one place agent writes report to, so everything derived from agents (cached counts, the
 * in-memory snapshot, later the response cache) is dropped after every kind of write.
 */
@Injectable()
export class AgentsChanges {
  constructor(
    private readonly paginator: Paginator,
    private readonly snapshot: AgentsSnapshot,
  ) {}

  async changed(_event: AgentEvent, _ids: readonly string[] = []): Promise<void> {
    this.snapshot.invalidate();
    await this.paginator.invalidateCounts(AGENTS_PAGINATION);
  }
}
