import { PaginationConfig } from '../pagination.config';
import { definePaginatedResource } from '../resource-definition';

/** @internal a resource shaped like agents, for unit specs. */
export const SAMPLE_RESOURCE = definePaginatedResource({
  name: 'samples',
  table: 'samples',
  primaryKey: 'id',
  cursorPath: '/samples/cursor',
  defaultSort: { field: 'created_at', order: 'desc' },
  fields: {
    id: { column: 'id', type: 'uuid', sortable: true, filterable: ['eq', 'in'] },
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
      values: ['active', 'inactive'],
      filterable: ['eq', 'ne', 'in', 'nin'],
    },
    score: {
      column: 'score',
      type: 'integer',
      sortable: true,
      filterable: ['gt', 'gte', 'lt', 'lte', 'between'],
    },
    created_at: {
      column: 'created_at',
      type: 'timestamp',
      sortable: true,
      filterable: ['gte', 'lt', 'between'],
    },
    description: { column: 'description', type: 'string', filterable: ['is_null'] },
  },
});

/** @internal config values for unit specs. */
export const SAMPLE_CONFIG: PaginationConfig = {
  defaultSize: 20,
  maxSize: 100,
  maxOffset: 10000,
  maxFilters: 5,
  maxListLength: 10,
  maxValueLength: 50,
  ignoredParams: ['_'],
  countCap: 1000,
  countCacheTtlSeconds: 300,
  cursor: {
    keys: [{ id: 'k1', secret: 'unit-test-cursor-secret-0123456789abcdef' }],
    ttlSeconds: 3600,
  },
};
