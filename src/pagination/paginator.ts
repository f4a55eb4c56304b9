import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { SelectQueryBuilder } from 'typeorm';
import { COUNT_CACHE, type CountCache } from './count-cache';
import { Counter } from './counter';
import { CursorCodec } from './cursor-codec';
import { CursorPage, Page } from './page';
import { PageRequest } from './page-request';
import { paginationConfig } from './pagination.config';
import { PaginatedResource } from './resource-definition';
import { applyFilters, applyKeyset, applyOrder, columnRef } from './sql-conditions';

const CURSOR_COLUMN = 'pg_cursor_';

/**
 * Pages TypeORM queries: offset pages with a count strategy, and keyset pages with signed cursors.
 * Give it the root-table query only (no to-many joins); load relations for the page's ids after.
 */
@Injectable()
export class Paginator {
  private readonly logger = new Logger(Paginator.name);
  private readonly counter: Counter;

  constructor(
    @Inject(paginationConfig.KEY) config: ConfigType<typeof paginationConfig>,
    readonly codec: CursorCodec,
    @Optional() @Inject(COUNT_CACHE) private readonly cache?: CountCache,
  ) {
    this.counter = new Counter(config, cache);
  }

  /**
   * Drops the cached counts of a resource (O(1)); call it after every write to the resource.
   * Fails open: a Redis outage is logged, and cached counts then expire with their TTL.
   */
  async invalidateCounts(resource: PaginatedResource): Promise<void> {
    try {
      await this.cache?.invalidate(resource.name);
    } catch (error) {
      this.logger.warn(`count cache invalidation failed: ${(error as Error).message}`);
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
    // A short page tells the exact total for free (no count statement).
    const count =
      !hasNext && (items.length > 0 || request.offset === 0) && request.count !== 'none'
        ? { total: request.offset + items.length, strategy: request.count, approximate: false }
        : await this.counter.count(query, request);
    return {
      items,
      metadata: {
        page: request.page,
        size: request.size,
        total: count.total,
        total_pages: count.total === null ? null : Math.ceil(count.total / request.size),
        has_next: hasNext,
        has_prev: request.page > 1,
        count_strategy: count.strategy,
        total_is_approximate: count.approximate,
      },
    };
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
