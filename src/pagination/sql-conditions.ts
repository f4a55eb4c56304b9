import { SelectQueryBuilder } from 'typeorm';
import { sqlCast } from './field-values';
import { FilterClause, PageRequest, SortClause } from './page-request';

const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

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
    const spec = request.resource.fields[filter.field];
    qb.andWhere(
      ...filterCondition(columnRef(alias, filter.column), filter, sqlCast(spec), `pf${index}`),
    );
  });
  if (request.search) {
    const columns = Object.values(request.resource.fields)
      .filter((spec) => spec.searchable)
      .map((spec) => `${columnRef(alias, spec.column)} ILIKE :psearch`);
    qb.andWhere(`(${columns.join(' OR ')})`, { psearch: likePattern(request.search) });
  }
  return qb;
}

function filterCondition(
  column: string,
  filter: FilterClause,
  cast: string,
  name: string,
): [string, Record<string, unknown>] {
  const [first, second] = filter.values;
  const one = { [name]: first };
  const castParam = (param: string) => `CAST(:${param} AS ${cast.slice(2)})`;
  switch (filter.operator) {
    case 'eq':
      return [`${column} = ${castParam(name)}`, one];
    case 'ne':
      return [`${column} IS DISTINCT FROM ${castParam(name)}`, one];
    case 'gt':
      return [`${column} > ${castParam(name)}`, one];
    case 'gte':
      return [`${column} >= ${castParam(name)}`, one];
    case 'lt':
      return [`${column} < ${castParam(name)}`, one];
    case 'lte':
      return [`${column} <= ${castParam(name)}`, one];
    case 'in':
      return [`${column} = ANY(CAST(:${name} AS ${cast.slice(2)}[]))`, { [name]: filter.values }];
    case 'nin':
      return [
        `(${column} IS NULL OR ${column} <> ALL(CAST(:${name} AS ${cast.slice(2)}[])))`,
        { [name]: filter.values },
      ];
    case 'between':
      return [
        `${column} BETWEEN ${castParam(`${name}a`)} AND ${castParam(`${name}b`)}`,
        { [`${name}a`]: first, [`${name}b`]: second },
      ];
    case 'like':
      return [`${column} LIKE :${name}`, { [name]: likePattern(String(first)) }];
    case 'ilike':
      return [`${column} ILIKE :${name}`, { [name]: likePattern(String(first)) }];
    case 'is_null':
      return [first ? `${column} IS NULL` : `${column} IS NOT NULL`, {}];
  }
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
