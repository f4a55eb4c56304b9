import { CountStrategy, FilterOperator, SortOrder } from './pagination.constants';

/** Value types a paginated field may have; each has its own parser and SQL cast. */
export type FieldType = 'uuid' | 'string' | 'enum' | 'integer' | 'number' | 'boolean' | 'timestamp';

/** One field a client may sort, filter or search on. */
export interface FieldSpec {
  /** SQL column (on the query's root alias). Never taken from the request. */
  column: string;
  type: FieldType;
  /** Allowed values of an `enum` field. */
  values?: readonly string[];
  /** May be used in `sort_by` (needs a matching `(column, pk)` index). @default false */
  sortable?: boolean;
  /** Operators allowed in `filter[field]`. @default [] */
  filterable?: readonly FilterOperator[];
  /** Included in `search` (case-insensitive substring). @default false */
  searchable?: boolean;
}

/** What a list endpoint allows: fields, defaults and count strategies. */
export interface PaginatedResource {
  /** Name used in cursors and count-cache keys (`agents`). */
  name: string;
  /** SQL table, for planner estimates. */
  table: string;
  /** Primary key field (must be in `fields`, sortable, unique): the final tie-breaker. */
  primaryKey: string;
  fields: Readonly<Record<string, FieldSpec>>;
  defaultSort: { field: string; order: SortOrder };
  /** @default 'exact' */
  defaultCount?: CountStrategy;
  /** Strategies a request may pick with `count=`. @default all */
  allowedCounts?: readonly CountStrategy[];
  /** Path of the keyset endpoint, named in the "too deep" error. */
  cursorPath?: string;
  /** Query params the route reads itself (not pagination's); any other unknown param is a 400. */
  extraParams?: readonly string[];
}

/** Declares a resource's allow-lists, checking them once at startup. */
export function definePaginatedResource<T extends PaginatedResource>(resource: T): T {
  const pk = resource.fields[resource.primaryKey];
  if (!pk?.sortable) {
    throw new Error(
      `${resource.name}: primary key ${resource.primaryKey} must be a sortable field`,
    );
  }
  if (!resource.fields[resource.defaultSort.field]?.sortable) {
    throw new Error(`${resource.name}: default sort ${resource.defaultSort.field} is not sortable`);
  }
  for (const [name, spec] of Object.entries(resource.fields)) {
    if (!/^[a-z_][a-z0-9_]*$/.test(spec.column)) {
      throw new Error(`${resource.name}.${name}: column must be a plain identifier`);
    }
    if (spec.type === 'enum' && !spec.values?.length) {
      throw new Error(`${resource.name}.${name}: enum fields need values`);
    }
  }
  return resource;
}
