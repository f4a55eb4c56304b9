import { definePaginatedResource, RANGE_OPERATORS } from '../pagination';
import { AGENT_STATUSES, AGENT_TYPES } from './agents.constants';

/**
 * What agent lists allow. Every sortable field is NOT NULL and has a `(field, id)` index
 * (migration 1764190003000), so offset and keyset pages stay index scans.
 */
export const AGENTS_PAGINATION = definePaginatedResource({
  name: 'agents',
  table: 'agents',
  primaryKey: 'id',
  cursorPath: '/agents/cursor',
  defaultSort: { field: 'created_at', order: 'desc' },
  defaultCount: 'cached',
  fields: {
    id: { column: 'id', type: 'uuid', sortable: true, filterable: ['eq', 'in', 'nin'] },
    name: {
      column: 'name',
      type: 'string',
      sortable: true,
      filterable: ['eq', 'ne', 'in', 'like', 'ilike'],
      searchable: true,
    },
    type: {
      column: 'type',
      type: 'enum',
      values: AGENT_TYPES,
      filterable: ['eq', 'ne', 'in', 'nin'],
    },
    status: {
      column: 'status',
      type: 'enum',
      values: AGENT_STATUSES,
      filterable: ['eq', 'ne', 'in', 'nin'],
    },
    owner_id: { column: 'owner_id', type: 'uuid', filterable: ['eq', 'in', 'is_null'] },
    description: {
      column: 'description',
      type: 'string',
      filterable: ['is_null'],
      searchable: true,
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
