import { Injectable } from '@nestjs/common';
import { AgentEntity } from './agent.entity';
import { AgentsRepository } from './agents.repository';

/** Agents held in memory for `GET /agents/memory`. */
export const SNAPSHOT_SIZE = 10_000;
/** How long a snapshot is served before it is reloaded (writes drop it at once). */
export const SNAPSHOT_TTL_MS = 30_000;

/**
 * An in-process snapshot of the newest agents (the guide's "all agents from cache"), reloaded at
 * most every 30 s and dropped on writes. Each reload is a new array, so the list paginator sorts
 * each snapshot once and reuses the sorted view until the next reload.
 */
@Injectable()
export class AgentsSnapshot {
  private current?: { loadedAt: number; agents: Promise<readonly AgentEntity[]> };

  constructor(private readonly agents: AgentsRepository) {}

  get(now = Date.now()): Promise<readonly AgentEntity[]> {
    if (!this.current || now - this.current.loadedAt > SNAPSHOT_TTL_MS) {
      const agents = this.agents.findNewest(SNAPSHOT_SIZE);
      this.current = { loadedAt: now, agents };
      // A failed load must not be served for the next 30 s.
      agents.catch(() => (this.current = undefined));
    }
    return this.current.agents;
  }

  invalidate(): void {
    this.current = undefined;
  }
}
