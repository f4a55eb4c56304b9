import { randomUUID } from 'node:crypto';

/** A valid `POST /documents` body. */
export function createDocumentBody(overrides: Record<string, unknown> = {}) {
  return {
    title: `document-${randomUUID().slice(0, 8)}`,
    content: 'Agents plan, call tools and report back.',
    ...overrides,
  };
}
