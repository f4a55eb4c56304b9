import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { SelectQueryBuilder } from 'typeorm';
import { queryForRead } from '../persistence';
import { CountCache } from './count-cache';
import { PageRequest } from './page-request';
import { PaginationConfig } from './pagination.config';
import { CountStrategy } from './pagination.constants';

/** A total and how it was obtained. */
export interface CountResult {
  total: number | null;
  strategy: CountStrategy;
  approximate: boolean;
}

/**
 * The filtered root-table rows a count strategy counts: `SELECT 1 FROM ... WHERE ...` (no order,
 * no limit, never to-many joins, so a count cannot multiply rows or pay for joins).
 */
export interface CountQuery {
  sql: string;
  params: readonly unknown[];
  /** Whether any WHERE applies (filters, search or a scope); without one the table estimate may answer. */
  filtered: boolean;
  /** Runs a statement built around `sql`; resolves to the first column of its first row. */
  value(sql: string, params: readonly unknown[]): Promise<unknown>;
}

/** The {@link CountQuery} of a filtered TypeORM query. */
export function countQueryOf<T extends object>(filtered: SelectQueryBuilder<T>): CountQuery {
  const [sql, params] = filtered.clone().select('1').orderBy().getQueryAndParameters();
  return {
    sql,
    params,
    filtered: filtered.expressionMap.wheres.length > 0,
    value: async (statement, values) => {
      // A count is a lag-tolerant read: a replica when configured, like the page's own query.
      const rows = await queryForRead<Array<Record<string, unknown>>>(
        filtered.connection,
        statement,
        values,
      );
      return rows[0] === undefined ? undefined : Object.values(rows[0])[0];
    },
  };
}

/** Runs the count strategies on a {@link CountQuery}. */
export class Counter {
  private readonly logger = new Logger(Counter.name);
  private lastWarnedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly config: PaginationConfig,
    private readonly cache?: CountCache,
  ) {}

  async count(filtered: CountQuery, request: PageRequest): Promise<CountResult> {
    switch (request.count) {
      case 'none':
        return { total: null, strategy: 'none', approximate: false };
      case 'exact':
        return { total: await this.exact(filtered), strategy: 'exact', approximate: false };
      case 'capped':
        return this.capped(filtered);
      case 'estimate':
        return this.estimate(filtered, request);
      case 'cached':
        return this.cached(filtered, request);
    }
  }

  private async exact(filtered: CountQuery): Promise<number> {
    return Number(
      await filtered.value(
        `SELECT count(*)::bigint AS count FROM (${filtered.sql}) AS counted`,
        filtered.params,
      ),
    );
  }

  private async capped(filtered: CountQuery): Promise<CountResult> {
    const cap = this.config.countCap;
    const counted = Number(
      await filtered.value(
        `SELECT count(*)::bigint AS count FROM (${filtered.sql} LIMIT ${cap + 1}) AS capped`,
        filtered.params,
      ),
    );
    return counted > cap
      ? { total: cap, strategy: 'capped', approximate: true }
      : { total: counted, strategy: 'capped', approximate: false };
  }

  private async estimate(filtered: CountQuery, request: PageRequest): Promise<CountResult> {
    // Only a query with no WHERE at all (no filter, no search, no owner scope) may use the
    // table-wide estimate; anything else asks the planner about this very query.
    if (!filtered.filtered) {
      const estimate = Number(
        (await filtered.value(
          'SELECT reltuples::bigint AS estimate FROM pg_class WHERE oid = to_regclass($1)',
          [request.resource.table],
        )) ?? -1,
      );
      if (estimate >= 0) {
        return { total: estimate, strategy: 'estimate', approximate: true };
      }
    }
    const plan = await filtered.value(`EXPLAIN (FORMAT JSON) ${filtered.sql}`, filtered.params);
    // TypeORM parses the json column; a raw-text reader does not.
    const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as Array<{
      Plan: { 'Plan Rows': number };
    }>;
    const rows = parsed[0].Plan['Plan Rows'];
    return { total: Math.round(rows), strategy: 'estimate', approximate: true };
  }

  private async cached(filtered: CountQuery, request: PageRequest): Promise<CountResult> {
    if (!this.cache) {
      return { total: await this.exact(filtered), strategy: 'exact', approximate: false };
    }
    let key: string;
    try {
      const generation = await this.cache.generation(request.resource.name);
      // Keyed by the count statement itself, so scopes the route adds (an owner, a tenant) are
      // part of the key: two owners never share a cached count.
      const scope = createHash('sha256')
        .update(JSON.stringify([filtered.sql, filtered.params]))
        .digest('base64url')
        .slice(0, 22);
      key = `${request.resource.name}:${generation}:${scope}`;
      const hit = await this.cache.get(key);
      if (hit !== undefined) {
        return { total: hit, strategy: 'cached', approximate: false };
      }
    } catch (error) {
      // The count cache fails open, to the bounded `capped` count: exact up to
      // PAGINATION__COUNT_CAP, "N+" above it. An exact count of a large table for every list
      // request while Redis is away would move the outage to PostgreSQL.
      this.warnUnavailable(error as Error);
      return this.capped(filtered);
    }
    const total = await this.exact(filtered);
    await this.cache.set(key, total, this.config.countCacheTtlSeconds).catch((error: Error) => {
      this.warnUnavailable(error);
    });
    return { total, strategy: 'cached', approximate: false };
  }

  /** One warning per {@link WARN_INTERVAL_MS} during an outage, not one per list request. */
  private warnUnavailable(error: Error): void {
    const now = Date.now();
    if (now - this.lastWarnedAt >= WARN_INTERVAL_MS) {
      this.lastWarnedAt = now;
      this.logger.warn(`count cache unavailable, counting without it: ${error.message}`);
    }
  }
}

const WARN_INTERVAL_MS = 30_000;
