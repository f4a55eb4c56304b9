import { SelectQueryBuilder } from 'typeorm';
import { sqlCast } from './field-values';
import { FilterClause, PageRequest, SortClause } from './page-request';

/** A quoted SQL identifier. */
export const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

/** `"alias"."column"` for an allow-listed column. */
export const columnRef = (alias: string, column: string): string =>
  `${quote(alias)}.${quote(column)}`;

/** Escapes LIKE metacharacters; `*` in the user's value is the wildcard. Without `*`: contains. */
export function likePattern(value: string): string {
  const escaped = value.replace(/[\\%_]/g, (char) => `\\${char}`);
  return escaped.includes('*') ? escaped.replace(/\*/g, '%') : `%${escaped}%`;
}

/** Adds the request's filters and search to a query as bound parameters. */
export function applyFilters<T extends object>(
  qb: SelectQueryBuilder<T>,
  request: PageRequest,
): SelectQueryBuilder<T> {
  const alias = qb.alias;
  request.filters.forEach((filter, index) => {
    const values = filterValues(filter);
    const names = values.length === 2 ? [`pf${index}a`, `pf${index}b`] : [`pf${index}`];
    const params: Record<string, unknown> = {};
    values.forEach((value, i) => (params[names[i]] = value));
    const sql = filterSql(
      columnRef(alias, filter.column),
      filter,
      sqlType(request, filter.field),
      names.map((name) => `:${name}`),
    );
    qb.andWhere(sql, params);
  });
  if (request.search) {
    qb.andWhere(searchSql(request, alias, ':psearch'), { psearch: likePattern(request.search) });
  }
  return qb;
}

/** The SQL type a field's bound values are cast to (`uuid`, `timestamptz`, ...). */
export const sqlType = (request: PageRequest, field: string): string =>
  sqlCast(request.resource.fields[field]).slice(2);

/** The values a filter binds, in the order of {@link filterSql}'s placeholders. */
export function filterValues(filter: FilterClause): unknown[] {
  const [first, second] = filter.values;
  switch (filter.operator) {
    case 'in':
    case 'nin':
      return [filter.values];
    case 'between':
      return [first, second];
    case 'like':
    case 'ilike':
      return [likePattern(String(first))];
    case 'is_null':
      return [];
    case 'eq':
    case 'ne':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return [first];
  }
}

/**
 * One filter as SQL on `column`, with the given placeholders for its {@link filterValues}
 * (`:name` in a query builder, `$n` in a statement). `is_null` puts its value in the text.
 */
export function filterSql(
  column: string,
  filter: FilterClause,
  type: string,
  placeholders: readonly string[],
): string {
  const [p, q] = placeholders;
  const cast = (placeholder: string) => `CAST(${placeholder} AS ${type})`;
  switch (filter.operator) {
    case 'eq':
      return `${column} = ${cast(p)}`;
    case 'ne':
      return `${column} IS DISTINCT FROM ${cast(p)}`;
    case 'gt':
      return `${column} > ${cast(p)}`;
    case 'gte':
      return `${column} >= ${cast(p)}`;
    case 'lt':
      return `${column} < ${cast(p)}`;
    case 'lte':
      return `${column} <= ${cast(p)}`;
    case 'in':
      return `${column} = ANY(CAST(${p} AS ${type}[]))`;
    case 'nin':
      return `(${column} IS NULL OR ${column} <> ALL(CAST(${p} AS ${type}[])))`;
    case 'between':
      return `${column} BETWEEN ${cast(p)} AND ${cast(q)}`;
    case 'like':
      return `${column} LIKE ${p}`;
    case 'ilike':
      return `${column} ILIKE ${p}`;
    case 'is_null':
      return filter.values[0] ? `${column} IS NULL` : `${column} IS NOT NULL`;
  }
}

/** The search condition: any searchable column ILIKE the one search placeholder. */
export function searchSql(request: PageRequest, alias: string, placeholder: string): string {
  const columns = Object.values(request.resource.fields)
    .filter((spec) => spec.searchable)
    .map((spec) => `${columnRef(alias, spec.column)} ILIKE ${placeholder}`);
  return `(${columns.join(' OR ')})`;
}

/** Orders by the sort clauses (the last is always the primary key), optionally reversed. */
export function applyOrder<T extends object>(
  qb: SelectQueryBuilder<T>,
  sort: SortClause[],
  reverse = false,
): SelectQueryBuilder<T> {
  sort.forEach((clause, index) => {
    const ascending = (clause.order === 'asc') !== reverse;
    const expression = columnRef(qb.alias, clause.column);
    const direction = ascending ? 'ASC' : 'DESC';
    // NULLS placement matches the row-value comparison used by keyset pages.
    if (index === 0) {
      qb.orderBy(expression, direction, ascending ? 'NULLS LAST' : 'NULLS FIRST');
    } else {
      qb.addOrderBy(expression, direction, ascending ? 'NULLS LAST' : 'NULLS FIRST');
    }
  });
  return qb;
}

/**
 * Keyset predicate as one row-value comparison, `(sort, pk) < ($1, $2)`, so PostgreSQL walks the
 * matching `(sort, pk)` index from the boundary: the same cost at any depth.
 */
export function applyKeyset<T extends object>(
  qb: SelectQueryBuilder<T>,
  request: PageRequest,
  keys: string[],
  direction: 'next' | 'prev',
): SelectQueryBuilder<T> {
  const forward = request.sort[0].order === 'asc';
  const operator = forward === (direction === 'next') ? '>' : '<';
  const columns = request.sort.map((clause) => columnRef(qb.alias, clause.column));
  const params: Record<string, string> = {};
  const placeholders = request.sort.map((clause, index) => {
    params[`pk${index}`] = keys[index];
    return `CAST(:pk${index} AS ${sqlCast(request.resource.fields[clause.field]).slice(2)})`;
  });
  return qb.andWhere(`(${columns.join(', ')}) ${operator} (${placeholders.join(', ')})`, params);
}
