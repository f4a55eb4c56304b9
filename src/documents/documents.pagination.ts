import { definePaginatedResource, type FilterClause, type PageRequest } from '../pagination';
import { DOCUMENT_STATUSES, type DocumentStatus } from './document.constants';

/**
 * What document lists allow. Every sortable field is NOT NULL and has `(field, id)` and
 * `(owner_id, field, id)` indexes (migrations 1764190002000 and 1764190004000): a user's pages
 * are range scans of their own slice, an admin's of the whole table. `processed_at` is nullable,
 * so it filters but does not sort.
 *
 * Lists are scoped to the caller's documents by the root query, which the count strategies
 * `estimate` (unfiltered: the whole table's row estimate) and `cached` (keyed by resource and
 * filters, not by owner) do not see; only strategies that count the scoped query are allowed.
 */
export const DOCUMENTS_PAGINATION = definePaginatedResource({
  name: 'documents',
  table: 'documents',
  primaryKey: 'id',
  // The older `?status=` shorthand is read by the controller.
  extraParams: ['status'],
  cursorPath: '/documents/cursor',
  defaultSort: { field: 'created_at', order: 'desc' },
  defaultCount: 'exact',
  allowedCounts: ['exact', 'capped', 'none'],
  fields: {
    id: { column: 'id', type: 'uuid', sortable: true, filterable: ['eq', 'in'] },
    title: {
      column: 'title',
      type: 'string',
      sortable: true,
      filterable: ['like', 'ilike'],
      searchable: true,
    },
    status: {
      column: 'status',
      type: 'enum',
      values: DOCUMENT_STATUSES,
      filterable: ['eq', 'ne', 'in', 'nin'],
    },
    chunk_count: {
      column: 'chunk_count',
      type: 'integer',
      filterable: ['gt', 'gte', 'lt', 'lte'],
    },
    processed_at: {
      column: 'processed_at',
      type: 'timestamp',
      filterable: ['is_null', 'gte', 'lt'],
    },
    created_at: {
      column: 'created_at',
      type: 'timestamp',
      sortable: true,
      filterable: ['gt', 'gte', 'lt', 'lte', 'between'],
    },
    updated_at: {
      column: 'updated_at',
      type: 'timestamp',
      sortable: true,
      filterable: ['gt', 'gte', 'lt', 'lte', 'between'],
    },
  },
});

/**
 * The request narrowed to one status, for the older `?status=` parameter: added as an ordinary
 * `filter[status]=eq:` clause.
 */
export function withStatus(request: PageRequest, status: DocumentStatus | undefined): PageRequest {
  if (status === undefined) {
    return request;
  }
  const clause: FilterClause = {
    field: 'status',
    column: DOCUMENTS_PAGINATION.fields.status.column,
    operator: 'eq',
    values: [status],
  };
  return { ...request, filters: [...request.filters, clause] };
}
