import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { SelectQueryBuilder } from 'typeorm';
import { SqlReader, type TextValue } from '../persistence';
import { COUNT_CACHE, type CountCache } from './count-cache';
import { Counter, CountQuery, countQueryOf, CountResult } from './counter';
import { CursorCodec } from './cursor-codec';
import { CursorPage, OffsetPageMetadata, Page } from './page';
import { PageRequest } from './page-request';
import { paginationConfig } from './pagination.config';
import { JsonPage } from './json-page';
import { ListSource, rowEncoder } from './list-source';
import { PageStatement, PageStatements } from './page-statement';
import { PaginatedResource } from './resource-definition';
import { applyFilters, applyKeyset, applyOrder, columnRef } from './sql-conditions';

const CURSOR_COLUMN = 'pg_cursor_';

const NO_COUNT: CountResult = { total: null, strategy: 'none', approximate: false };

/**
 * Pages TypeORM queries: offset pages with a count strategy, and keyset pages with signed cursors.
 * Give it the root-table query only (no to-many joins); load relations for the page's ids after.
 * Hot offset lists page a {@link ListSource} instead ({@link paginateSource}): SQL built once per
 * shape, one prepared statement per page, rows straight to response items.
 */
@Injectable()
export class Paginator {
  private readonly logger = new Logger(Paginator.name);
  private readonly counter: Counter;
  private readonly statements = new PageStatements();
  private readonly encoders = new WeakMap<object, (row: TextValue[]) => string>();

  constructor(
    @Inject(paginationConfig.KEY) private readonly config: ConfigType<typeof paginationConfig>,
    readonly codec: CursorCodec,
    private readonly reader: SqlReader,
    @Optional() @Inject(COUNT_CACHE) private readonly cache?: CountCache,
  ) {
    this.counter = new Counter(config, cache);
  }

  /**
   * Drops the cached counts of a resource (O(1)); call it after every write to the resource.
   * Fails open: a Redis outage is logged and the bump is retried in the background until Redis
   * takes it (this instance counts without the cache meanwhile); the write is never failed.
   */
  async invalidateCounts(resource: PaginatedResource): Promise<void> {
    try {
      await this.cache?.invalidate(resource.name);
    } catch (error) {
      this.logger.warn(
        `count cache invalidation failed (retried in the background): ${(error as Error).message}`,
      );
    }
  }

  /** An offset page: `items` + `metadata` (page, size, total, total_pages, has_next, has_prev). */
  async paginate<T extends object>(
    query: SelectQueryBuilder<T>,
    request: PageRequest,
  ): Promise<Page<T>> {
    applyFilters(query, request);
    const pageQuery = applyOrder(query.clone(), request.sort)
      .offset(request.offset)
      .limit(request.size + 1);
    const rows = await pageQuery.getMany();
    const hasNext = rows.length > request.size;
    const items = rows.slice(0, request.size);
    const count =
      shortPageCount(request, items.length, hasNext) ??
      (request.count === 'none'
        ? NO_COUNT
        : await this.counter.count(countQueryOf(query), request));
    return { items, metadata: pageMetadata(request, hasNext, count) };
  }

  /**
   * An offset page of a {@link ListSource} as a {@link JsonPage}: the same bytes and metadata as
   * {@link paginate} of its table with the items mapped to responses, without entities or a
   * serializer pass. The SQL of each shape (sort, filters, search, count) is built once and runs
   * as one prepared statement that writes the items' JSON (and folds an `exact` or `capped`
   * count in); `estimate` and `cached` counts, when needed, run after it.
   */
  async paginateSource<T>(source: ListSource<T>, request: PageRequest): Promise<JsonPage<T>> {
    const { rows, metadata } = await this.readPage(source, request);
    const items = rows.map(this.encoderOf(source)).join(',');
    return new JsonPage<T>(metadata, `{"items":[${items}],"metadata":${JSON.stringify(metadata)}}`);
  }

  private async readPage<T>(
    source: ListSource<T>,
    request: PageRequest,
  ): Promise<{ rows: TextValue[][]; metadata: OffsetPageMetadata }> {
    const statement = this.statements.for(source, request);
    const rows = await this.reader.textRows(
      statement.statement,
      statement.values(request, this.config.countCap),
    );
    const hasNext = rows.length > request.size;
    const page = hasNext ? rows.slice(0, request.size) : rows;
    const count =
      shortPageCount(request, page.length, hasNext) ??
      this.foldedCount(statement, rows) ??
      (request.count === 'none'
        ? NO_COUNT
        : await this.counter.count(this.countQueryOf(statement, request), request));
    return { rows: page, metadata: pageMetadata(request, hasNext, count) };
  }

  private foldedCount(statement: PageStatement, rows: unknown[][]): CountResult | undefined {
    const text = rows[0]?.at(-1);
    if (!statement.foldedCount || typeof text !== 'string') {
      return undefined; // not folded, or a page beyond the end (no row to carry the total)
    }
    const total = Number(text);
    const cap = this.config.countCap;
    return statement.foldedCount === 'capped' && total > cap
      ? { total: cap, strategy: 'capped', approximate: true }
      : { total, strategy: statement.foldedCount, approximate: false };
  }

  private countQueryOf(statement: PageStatement, request: PageRequest): CountQuery {
    return {
      sql: statement.countSql,
      params: statement.countValues(request),
      filtered: statement.filtered,
      value: async (sql, params) => (await this.reader.textRows({ text: sql }, params))[0]?.[0],
    };
  }

  private encoderOf<T>(source: ListSource<T>): (row: TextValue[]) => string {
    let encode = this.encoders.get(source);
    if (!encode) {
      encode = rowEncoder(source);
      this.encoders.set(source, encode);
    }
    return encode;
  }

  /** A keyset page: the same cost at any depth, exact under timestamp ties. */
  async paginateByCursor<T extends object>(
    query: SelectQueryBuilder<T>,
    request: PageRequest,
  ): Promise<CursorPage<T>> {
    applyFilters(query, request);
    const direction = request.cursor?.direction ?? 'next';
    if (request.cursor) {
      applyKeyset(query, request, request.cursor.keys, direction);
    }
    applyOrder(query, request.sort, direction === 'prev');
    request.sort.forEach((clause, index) =>
      query.addSelect(`${columnRef(query.alias, clause.column)}::text`, `${CURSOR_COLUMN}${index}`),
    );
    const { entities, raw } = await query
      .limit(request.size + 1)
      .getRawAndEntities<Record<string, string>>();
    const more = entities.length > request.size;
    let items = entities.slice(0, request.size);
    let keys = raw
      .slice(0, request.size)
      .map((row) => request.sort.map((_, index) => row[`${CURSOR_COLUMN}${index}`]));
    if (direction === 'prev') {
      items = items.reverse();
      keys = keys.reverse();
    }
    const hasNext = direction === 'prev' ? true : more;
    const hasPrev = direction === 'prev' ? more : request.cursor !== undefined;
    const encode = (rowKeys: string[] | undefined, to: 'next' | 'prev') =>
      rowKeys
        ? this.codec.encode(request.resource.name, request.signature, {
            direction: to,
            keys: rowKeys,
          })
        : null;
    return {
      items,
      metadata: {
        size: request.size,
        next_cursor: hasNext ? encode(keys.at(-1), 'next') : null,
        prev_cursor: hasPrev ? encode(keys[0], 'prev') : null,
        has_next: hasNext && items.length > 0,
        has_prev: hasPrev && items.length > 0,
      },
    };
  }
}

/** A short page tells the exact total for free (no count statement). */
function shortPageCount(
  request: PageRequest,
  items: number,
  hasNext: boolean,
): CountResult | undefined {
  return !hasNext && (items > 0 || request.offset === 0) && request.count !== 'none'
    ? { total: request.offset + items, strategy: request.count, approximate: false }
    : undefined;
}

function pageMetadata(
  request: PageRequest,
  hasNext: boolean,
  count: CountResult,
): OffsetPageMetadata {
  return {
    page: request.page,
    size: request.size,
    total: count.total,
    total_pages: count.total === null ? null : Math.ceil(count.total / request.size),
    has_next: hasNext,
    has_prev: request.page > 1,
    count_strategy: count.strategy,
    total_is_approximate: count.approximate,
  };
}
