import { randomUUID } from 'node:crypto';

/** A `POST /agents` body. */
export interface AgentBody {
  name: string;
  type: string;
  status?: string;
  description?: string | null;
  config?: Record<string, unknown>;
  tool_ids?: string[];
}

/** A prefix no other test uses, for names that identify one test's rows. */
export function uniquePrefix(label = 'agent'): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

/** A valid agent body with a unique name, overridable field by field. */
export function buildAgent(overrides: Partial<AgentBody> = {}): AgentBody {
  return {
    name: `${uniquePrefix()} assistant`,
    type: 'conversational',
    description: 'Answers questions',
    config: { model: 'default', temperature: 0.2 },
    ...overrides,
  };
}

/** `count` valid agent bodies named `<prefix>-<index>`, for batch requests. */
export function buildAgents(count: number, prefix: string): AgentBody[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `${prefix}-${index}`,
    type: index % 2 === 0 ? 'task' : 'research',
    description: index % 3 === 0 ? null : `Agent ${index}`,
    config: { index },
  }));
}
