import { randomUUID } from 'node:crypto';

/** A `POST /tools` body. */
export interface ToolBody {
  name: string;
  description?: string | null;
  kind?: string;
  config?: Record<string, unknown>;
}

/** A valid tool body with a unique name, overridable field by field. */
export function buildTool(overrides: Partial<ToolBody> = {}): ToolBody {
  return {
    name: `tool-${randomUUID().slice(0, 12)}`,
    description: 'Searches the knowledge base',
    kind: 'retriever',
    config: { top_k: 5 },
    ...overrides,
  };
}
