import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { SelectQueryBuilder } from 'typeorm';
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
 * Runs the count strategies on a filtered root-table query (never with to-many joins, so a
 * count cannot multiply rows or pay for joins).
 */
export class Counter {
  private readonly logger = new Logger(Counter.name);
  private lastWarnedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly config: PaginationConfig,
    private readonly cache?: CountCache,
  ) {}

  async count<T extends object>(
    filtered: SelectQueryBuilder<T>,
    request: PageRequest,
  ): Promise<CountResult> {
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

  private async exact<T extends object>(filtered: SelectQueryBuilder<T>): Promise<number> {
    const [sql, params] = filtered.clone().select('1').orderBy().getQueryAndParameters();
    const rows: Array<{ count: string }> = await filtered.connection.query(
      `SELECT count(*)::bigint AS count FROM (${sql}) AS counted`,
      params,
    );
    return Number(rows[0].count);
  }

  private async capped<T extends object>(filtered: SelectQueryBuilder<T>): Promise<CountResult> {
    const cap = this.config.countCap;
    const [sql, params] = filtered
      .clone()
      .select('1')
      .orderBy()
      .limit(cap + 1)
      .getQueryAndParameters();
    const rows: Array<{ count: string }> = await filtered.connection.query(
      `SELECT count(*)::bigint AS count FROM (${sql}) AS capped`,
      params,
    );
    const counted = Number(rows[0].count);
    return counted > cap
      ? { total: cap, strategy: 'capped', approximate: true }
      : { total: counted, strategy: 'capped', approximate: false };
  }

  private async estimate<T extends object>(
    filtered: SelectQueryBuilder<T>,
    request: PageRequest,
  ): Promise<CountResult> {
    // Only a query with no WHERE at all (no filter, no search, no owner scope) may use the
    // table-wide estimate; anything else asks the planner about this very query.
    if (filtered.expressionMap.wheres.length === 0) {
      const rows: Array<{ estimate: number }> = await filtered.connection.query(
        'SELECT reltuples::bigint AS estimate FROM pg_class WHERE oid = to_regclass($1)',
        [request.resource.table],
      );
      const estimate = Number(rows[0]?.estimate ?? -1);
      if (estimate >= 0) {
        return { total: estimate, strategy: 'estimate', approximate: true };
      }
    }
    const [sql, params] = filtered.clone().select('1').orderBy().getQueryAndParameters();
    const plan: Array<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }> =
      await filtered.connection.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
    const rows = plan[0]['QUERY PLAN'][0].Plan['Plan Rows'];
    return { total: Math.round(rows), strategy: 'estimate', approximate: true };
  }

  private async cached<T extends object>(
    filtered: SelectQueryBuilder<T>,
    request: PageRequest,
  ): Promise<CountResult> {
    if (!this.cache) {
      return { total: await this.exact(filtered), strategy: 'exact', approximate: false };
    }
    let key: string;
    try {
      const generation = await this.cache.generation(request.resource.name);
      // Keyed by the count statement itself, so scopes the route adds (an owner, a tenant) are
      // part of the key: two owners never share a cached count.
      const [sql, params] = filtered.clone().select('1').orderBy().getQueryAndParameters();
      const scope = createHash('sha256')
        .update(JSON.stringify([sql, params]))
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
