import { CountStrategy, FilterOperator, SortOrder } from './pagination.constants';
import { PaginatedResource } from './resource-definition';

/** A parsed, validated filter: field and column come from the allow-list, values are typed. */
export interface FilterClause {
  field: string;
  column: string;
  operator: FilterOperator;
  /** One value (eq, gt, ...), several (in, nin, between: two) or a boolean (is_null). */
  values: unknown[];
}

/** Sort: one allow-listed field, then the primary key in the same direction (a total order). */
export interface SortClause {
  field: string;
  column: string;
  order: SortOrder;
}

/** The decoded position of a keyset cursor. */
export interface CursorPosition {
  direction: 'next' | 'prev';
  /** Sort key values of the boundary row, exact text (timestamps to the microsecond). */
  keys: string[];
}

/** Everything a paginator needs, built only from allow-listed parts of the request. */
export interface PageRequest {
  resource: PaginatedResource;
  page: number;
  size: number;
  offset: number;
  sort: SortClause[];
  filters: FilterClause[];
  search?: string;
  count: CountStrategy;
  cursor?: CursorPosition;
  /** Hash of sort + filters + search: binds cursors and keys cached counts. */
  signature: string;
  /** The request's own query string parameters, for Link headers. */
  query: Record<string, string | string[]>;
}
