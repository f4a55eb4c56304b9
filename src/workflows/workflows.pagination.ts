import {
  definePaginatedResource,
  RANGE_OPERATORS,
  type FilterClause,
  type PageRequest,
} from '../pagination';
import { WORKFLOW_STATUSES } from './workflow.constants';

/**
 * What workflow lists allow. Every sortable field is NOT NULL and has `(field, id)` and
 * `(agent_id, field, id)` indexes (migrations 1764190002000 and 1764190004000), so offset and
 * keyset pages stay index scans, per agent too.
 *
 * Counts are exact (or capped, estimated, none on request), never `cached`: deleting an agent
 * cascades to its workflows without passing through this module, so no write hook could drop a
 * cached count reliably.
 */
export const WORKFLOWS_PAGINATION = definePaginatedResource({
  name: 'workflows',
  table: 'workflows',
  primaryKey: 'id',
  // The older `?agent_id=` shorthand is read by the controller.
  extraParams: ['agent_id'],
  cursorPath: '/workflows/cursor',
  defaultSort: { field: 'created_at', order: 'desc' },
  defaultCount: 'exact',
  allowedCounts: ['exact', 'estimate', 'capped', 'none'],
  fields: {
    id: { column: 'id', type: 'uuid', sortable: true, filterable: ['eq', 'in'] },
    agent_id: { column: 'agent_id', type: 'uuid', filterable: ['eq', 'in'] },
    name: {
      column: 'name',
      type: 'string',
      sortable: true,
      filterable: ['eq', 'like', 'ilike'],
      searchable: true,
    },
    status: {
      column: 'status',
      type: 'enum',
      values: WORKFLOW_STATUSES,
      filterable: ['eq', 'ne', 'in', 'nin'],
    },
    created_at: {
      column: 'created_at',
      type: 'timestamp',
      sortable: true,
      filterable: RANGE_OPERATORS,
    },
    updated_at: {
      column: 'updated_at',
      type: 'timestamp',
      sortable: true,
      filterable: RANGE_OPERATORS,
    },
  },
});

/**
 * The request narrowed to one agent, for the older `?agent_id=` parameter: added as an ordinary
 * `filter[agent_id]=eq:` clause, so counts and estimates see it like any other filter.
 */
export function forAgent(request: PageRequest, agentId: string | undefined): PageRequest {
  if (agentId === undefined) {
    return request;
  }
  const clause: FilterClause = {
    field: 'agent_id',
    column: WORKFLOWS_PAGINATION.fields.agent_id.column,
    operator: 'eq',
    values: [agentId.toLowerCase()],
  };
  return { ...request, filters: [...request.filters, clause] };
}
