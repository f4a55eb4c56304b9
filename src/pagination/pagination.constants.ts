/** Filter operators a resource may allow on a field (`filter[field]=op:value`). */
export const FILTER_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'nin',
  'like',
  'ilike',
  'between',
  'is_null',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** The comparison operators of an ordered field (timestamps, numbers): `filterable: RANGE_OPERATORS`. */
export const RANGE_OPERATORS = ['gt', 'gte', 'lt', 'lte', 'between'] as const;

export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

/**
 * How `metadata.total` is produced:
 * - `exact`: `count(*)` with the filters (costly on large tables);
 * - `estimate`: the planner's row estimate (sub-millisecond, approximate);
 * - `capped`: counts up to `PAGINATION__COUNT_CAP` and reports "N+" beyond;
 * - `cached`: exact count kept in Redis per resource and filter, dropped on writes;
 * - `none`: no count; `has_next` comes from fetching one extra row.
 */
export const COUNT_STRATEGIES = ['exact', 'estimate', 'capped', 'cached', 'none'] as const;
export type CountStrategy = (typeof COUNT_STRATEGIES)[number];

/** Query parameters the pagination pipe reads; anything else is left to the route. */
export const PAGINATION_PARAMS = [
  'page',
  'size',
  'page_size',
  'sort_by',
  'sort_order',
  'cursor',
  'count',
  'search',
] as const;
