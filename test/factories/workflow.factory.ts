import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

/** A valid `POST /workflows` body for the agent. */
export function createWorkflowBody(agentId: string, overrides: Record<string, unknown> = {}) {
  return {
    agent_id: agentId,
    name: `workflow-${randomUUID().slice(0, 8)}`,
    description: 'Triage incoming tickets',
    definition: { steps: [{ id: 'classify', tool: 'classifier' }] },
    ...overrides,
  };
}

/**
 * Inserts an agent owned by `ownerId` (and the owner's users row) straight into the database,
 * so workflow tests depend only on the schema, not on the agents API. Returns the agent id.
 */
export async function insertAgent(dataSource: DataSource, ownerId: string): Promise<string> {
  await dataSource.query(`INSERT INTO users (id) VALUES ($1) ON CONFLICT (id) DO NOTHING`, [
    ownerId,
  ]);
  const rows: { id: string }[] = await dataSource.query(
    `INSERT INTO agents (name, type, owner_id) VALUES ($1, 'conversational', $2) RETURNING id`,
    [`agent-${randomUUID().slice(0, 8)}`, ownerId],
  );
  return rows[0].id;
}
