import { definePaginatedResource, RANGE_OPERATORS } from '../pagination';

/**
 * What `GET /templates` allows. The catalogue is small and admin-written, so the count is exact
 * (or none) and sorts need no keyset index; `name` is unique.
 */
export const TEMPLATES_PAGINATION = definePaginatedResource({
  name: 'templates',
  table: 'templates',
  primaryKey: 'id',
  defaultSort: { field: 'name', order: 'asc' },
  allowedCounts: ['exact', 'none'],
  fields: {
    id: { column: 'id', type: 'uuid', sortable: true, filterable: ['eq', 'in', 'nin'] },
    name: {
      column: 'name',
      type: 'string',
      sortable: true,
      filterable: ['eq', 'ne', 'in', 'like', 'ilike'],
      searchable: true,
    },
    type: { column: 'type', type: 'string', filterable: ['eq', 'ne', 'in', 'nin'] },
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
