/** Kinds of agent the engine runs. */
export const AGENT_TYPES = [
  'conversational',
  'task',
  'research',
  'coding',
  'orchestrator',
] as const;
export type AgentType = (typeof AGENT_TYPES)[number];

/** Lifecycle states of an agent. */
export const AGENT_STATUSES = ['active', 'inactive', 'archived'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

/** Most tools one agent can be given in one request. */
export const MAX_AGENT_TOOLS = 100;

/** Most items of `POST /agents/batch` (70,000 rows fit in the 32 MiB batch body limit). */
export const MAX_BATCH_CREATE = 100_000;

/** Most items of `PUT /agents/batch`. */
export const MAX_BATCH_UPDATE = 10_000;

/** From this many rows on, batch inserts use COPY; below, multi-row INSERT is as fast. */
export const COPY_THRESHOLD = 1000;
