import type { ConfigType } from '@nestjs/config';
import { paginationConfig } from '../../../src/pagination';
import type { BenchApp } from '../../lib/bench-app';
import { compareLoads, loadInRounds, RoundsOptions } from '../../lib/load-rounds';
import type { BenchContext, Measurement } from '../../lib/scenario';
import { median, timeIt } from '../../lib/timer';
import { AGENTS_ORDER, deepCursor } from './deep-cursor';

const SIZE = 20;
/** Timed runs of each raw SQL statement (after one untimed run). */
const SQL_RUNS = 7;
const COLUMNS = 'id, name, type, status, description, config, owner_id, created_at, updated_at';

async function expectPage(url: string, status: number, firstId?: string): Promise<void> {
  const response = await fetch(url);
  const body = (await response.json()) as { items?: Array<{ id: string }> };
  if (response.status !== status || (firstId && body.items?.[0]?.id !== firstId)) {
    throw new Error(
      `GET ${url.slice(0, 120)}: expected ${status}${firstId ? ` starting at ${firstId}` : ''}, got ${response.status} ${JSON.stringify(body).slice(0, 200)}`,
    );
  }
}

/** Keyset page at `depth` vs keyset page 1 (goal: deep req/s >= 1/1.5 of page 1). */
export async function keysetDepth(
  context: BenchContext,
  app: BenchApp,
  depth: number,
  load: RoundsOptions,
): Promise<Measurement[]> {
  const deep = await deepCursor(context, app, depth);
  const page1 = `${app.baseUrl}/agents/cursor?size=${SIZE}`;
  const deepUrl = `${page1}&cursor=${encodeURIComponent(deep.cursor)}`;
  await expectPage(deepUrl, 200, deep.firstId);
  const [deepRun, firstRun] = await loadInRounds(
    [
      { label: `keyset page at ${depth}`, url: deepUrl },
      { label: 'keyset page 1', url: page1 },
    ],
    load,
  );
  return [
    ...compareLoads(
      `keyset-depth-${Math.round(depth / 1000)}k-vs-page1`,
      deepRun,
      firstRun,
      `goal: deep within 1.5x of page 1 (req/s ratio >= 0.67); size ${SIZE}, cursor made from the row at offset ${depth}`,
    ),
    await sequentialLatency(
      `keyset-depth-${Math.round(depth / 1000)}k-vs-page1 sequential p50`,
      deepUrl,
      page1,
    ),
  ];
}

/**
 * The same two pages requested one at a time, alternating, 500 pairs after 100 warm-up pairs:
 * latency without the queueing of a concurrent load, which on a shared 2-core box swamps the
 * sub-millisecond SQL difference.
 */
async function sequentialLatency(
  metric: string,
  deepUrl: string,
  page1: string,
): Promise<Measurement> {
  const times: Record<'deep' | 'page1', number[]> = { deep: [], page1: [] };
  for (let i = 0; i < 600; i++) {
    for (const [name, url] of [
      ['page1', page1],
      ['deep', deepUrl],
    ] as const) {
      const started = performance.now();
      const response = await fetch(url);
      await response.arrayBuffer();
      if (i >= 100) {
        times[name].push(performance.now() - started);
      }
    }
  }
  return {
    metric,
    value: Math.round(median(times.deep) * 100) / 100,
    unit: 'ms',
    baseline: 'keyset page 1, sequential p50',
    baselineValue: Math.round(median(times.page1) * 100) / 100,
    better: 'lower',
    notes: 'goal: deep within 1.5x of page 1; 500 alternating sequential pairs, one connection',
  };
}

/**
 * Offset page 1 vs the deepest page the API allows (count=none), the in-memory list vs offset
 * page 1, and raw SQL: OFFSET `depth` (refused by the API) vs the keyset predicate there.
 */
export async function offsetDepth(
  context: BenchContext,
  app: BenchApp,
  depth: number,
  load: RoundsOptions,
): Promise<Measurement[]> {
  const config = app.app.get<ConfigType<typeof paginationConfig>>(paginationConfig.KEY);
  const deepest = Math.floor(config.maxOffset / SIZE) + 1;
  const url = (page: number) => `${app.baseUrl}/agents?page=${page}&size=${SIZE}&count=none`;
  await expectPage(url(deepest), 200);
  await expectPage(url(deepest + 1), 400);
  const memoryUrl = `${app.baseUrl}/agents/memory?page=50&size=${SIZE}`;
  await expectPage(memoryUrl, 200);
  const [first, deep, memory] = await loadInRounds(
    [
      { label: 'offset page 1, count=none', url: url(1) },
      {
        label: `offset page ${deepest} (offset ${(deepest - 1) * SIZE}), count=none`,
        url: url(deepest),
      },
      { label: 'memory list page 50', url: memoryUrl },
    ],
    load,
  );
  const sql = await sqlAtDepth(context, app, depth);
  return [
    ...compareLoads(
      'offset-deepest-allowed-vs-page1',
      deep,
      first,
      `PAGINATION__MAX_OFFSET ${config.maxOffset}: page ${deepest} is the deepest allowed, page ${deepest + 1} is a 400`,
    ),
    ...compareLoads(
      'memory-list-vs-db-offset-page1',
      memory,
      first,
      '/agents/memory?page=50&size=20 (snapshot of the newest agents) vs /agents?page=1&size=20&count=none',
    ),
    sql,
  ];
}

async function sqlAtDepth(
  context: BenchContext,
  app: BenchApp,
  depth: number,
): Promise<Measurement> {
  const { keys } = await deepCursor(context, app, depth);
  const offsetSql = `SELECT ${COLUMNS} FROM agents ${AGENTS_ORDER} OFFSET ${depth + 1} LIMIT ${SIZE + 1}`;
  const keysetSql = `SELECT ${COLUMNS} FROM agents WHERE (created_at, id) < ($1::timestamptz, $2::uuid) ${AGENTS_ORDER} LIMIT ${SIZE + 1}`;
  const offsetMs: number[] = [];
  const keysetMs: number[] = [];
  for (let run = 0; run <= SQL_RUNS; run++) {
    const offset = await timeIt(() => context.query(offsetSql));
    const keyset = await timeIt(() => context.query(keysetSql, keys));
    if (run > 0) {
      offsetMs.push(offset.ms);
      keysetMs.push(keyset.ms);
    }
  }
  const offset = median(offsetMs);
  const keyset = median(keysetMs);
  return {
    metric: `sql-keyset-vs-offset-${Math.round(depth / 1000)}k ms`,
    value: keyset,
    unit: 'ms',
    baseline: `SQL OFFSET ${depth + 1} LIMIT ${SIZE + 1}`,
    baselineValue: offset,
    better: 'lower',
    notes: `raw SQL from the bench process (round trip included), median of ${SQL_RUNS} alternating runs after a warm-up; the API refuses this offset (400). keyset ${keyset.toFixed(2)} ms vs offset ${offset.toFixed(1)} ms`,
  };
}
