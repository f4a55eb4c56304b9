import { createHash } from 'node:crypto';
import type { ReadStatement } from '../persistence';
import { itemJsonSql, ListSource } from './list-source';
import { PageRequest } from './page-request';
import {
  columnRef,
  filterSql,
  filterValues,
  likePattern,
  quote,
  searchSql,
  sqlType,
} from './sql-conditions';

/** Shapes kept (and prepared) per source; a request of another shape is built on the spot. */
const MAX_SHAPES = 200;
const ALIAS = 'r';

/**
 * The SQL of one page shape (sort, filters, search, count), built once: the page's rows (size + 1,
 * to see a next page) as item JSON ({@link itemJsonSql}) and, for `exact` and `capped`, the total
 * in a last column of the same statement, computed by PostgreSQL only when the page is full: one
 * round trip per page.
 */
export interface PageStatement {
  statement: ReadStatement;
  /** The count strategy the statement's last column answers, if any. */
  foldedCount?: 'exact' | 'capped';
  /** `SELECT 1 FROM ... WHERE ...` of the shape, for counts the statement does not answer. */
  countSql: string;
  /** Whether the shape has a WHERE (filters or search). */
  filtered: boolean;
  /** The values of {@link countSql}: filters, then search. */
  countValues(request: PageRequest): unknown[];
  /** The statement's values: those of {@link countSql}, then the page bounds (and the cap). */
  values(request: PageRequest, countCap: number): unknown[];
}

/** Builds {@link PageStatement}s, remembering (and naming) the first shapes of each source. */
export class PageStatements {
  private readonly shapes = new WeakMap<object, Map<string, PageStatement>>();

  for<T>(source: ListSource<T>, request: PageRequest): PageStatement {
    let known = this.shapes.get(source);
    if (!known) {
      known = new Map();
      this.shapes.set(source, known);
    }
    const key = shapeOf(request);
    const cached = known.get(key);
    if (cached) {
      return cached;
    }
    // Past the bound (a client cycling through filter combinations) shapes run unnamed, so
    // neither this map nor each connection's prepared statements grow without end.
    const prepare = known.size < MAX_SHAPES;
    const built = buildPageStatement(source, request, prepare);
    if (prepare) {
      known.set(key, built);
    }
    return built;
  }
}

/** What the SQL text of a request depends on; values are bound, never part of it. */
export function shapeOf(request: PageRequest): string {
  return JSON.stringify([
    request.resource.name,
    request.sort.map((clause) => `${clause.field}:${clause.order}`),
    request.filters.map((filter) =>
      filter.operator === 'is_null'
        ? `${filter.field}:is_null:${String(filter.values[0])}`
        : `${filter.field}:${filter.operator}`,
    ),
    request.search !== undefined,
    foldedCountOf(request) ?? 'separate',
  ]);
}

const foldedCountOf = (request: PageRequest): PageStatement['foldedCount'] =>
  request.count === 'exact' || request.count === 'capped' ? request.count : undefined;

/** The SQL of the request's shape; `prepare` names it, so each connection plans it once. */
export function buildPageStatement<T>(
  source: ListSource<T>,
  request: PageRequest,
  prepare: boolean,
): PageStatement {
  let placeholders = 0;
  const next = () => `$${++placeholders}`;
  const conditions = request.filters.map((filter) =>
    filterSql(
      columnRef(ALIAS, filter.column),
      filter,
      sqlType(request, filter.field),
      filterValues(filter).map(next),
    ),
  );
  if (request.search !== undefined) {
    conditions.push(searchSql(request, ALIAS, next()));
  }
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
  const countSql = `SELECT 1 FROM ${quote(source.table)} AS ${quote(ALIAS)}${where}`;
  const orderBy = (ref: (index: number) => string) =>
    request.sort
      .map((clause, index) =>
        clause.order === 'asc' ? `${ref(index)} ASC NULLS LAST` : `${ref(index)} DESC NULLS FIRST`,
      )
      .join(', ');
  const fields = itemJsonSql(ALIAS, source).map((sql, index) => `${sql} AS "j${index}"`);
  const folded = foldedCountOf(request);
  // The folded form re-sorts the page by its sort keys (the CTE's order is not guaranteed).
  const keys = folded
    ? request.sort.map((clause, index) => `${columnRef(ALIAS, clause.column)} AS "s${index}"`)
    : [];
  const rows =
    `SELECT ${[...fields, ...keys].join(', ')} FROM ${quote(source.table)} AS ${quote(ALIAS)}${where}` +
    ` ORDER BY ${orderBy((index) => columnRef(ALIAS, request.sort[index].column))}` +
    ` LIMIT ${next()} OFFSET ${next()}`;
  let text = rows;
  if (folded) {
    const size = next();
    const cap = folded === 'capped' ? ` LIMIT ${next()}` : '';
    text =
      `WITH page AS MATERIALIZED (${rows}) ` +
      `SELECT page.*, CASE WHEN (SELECT count(*) FROM page) > ${size} ` +
      `THEN (SELECT count(*) FROM (${countSql}${cap}) AS counted) END AS total ` +
      `FROM page ORDER BY ${orderBy((index) => `page."s${index}"`)}`;
  }
  const countValues = (of: PageRequest): unknown[] => {
    const values = of.filters.flatMap(filterValues);
    if (of.search !== undefined) {
      values.push(likePattern(of.search));
    }
    return values;
  };
  return {
    statement: {
      text,
      name: prepare
        ? `page_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`
        : undefined,
    },
    foldedCount: folded,
    countSql,
    filtered: conditions.length > 0,
    countValues,
    values(of, countCap) {
      const values = countValues(of);
      values.push(of.size + 1, of.offset);
      if (folded) {
        values.push(of.size);
        if (folded === 'capped') {
          values.push(countCap + 1);
        }
      }
      return values;
    },
  };
}
