import type { BenchApp } from '../../lib/bench-app';
import type { BenchContext, Measurement } from '../../lib/scenario';
import { timeIt } from '../../lib/timer';
import { AGENTS_ORDER } from './deep-cursor';

const SIZE = 100;
const BACKWARD_PAGES = 1000;
/** A full walk slower than this stops and a filtered subset is walked instead. */
const WALK_BUDGET_MS = 180_000;
const FALLBACK_FILTER = { query: '&filter[status]=eq:inactive', sql: `WHERE status = 'inactive'` };

interface CursorResponse {
  items: Array<{ id: string }>;
  metadata: { next_cursor: string | null; prev_cursor: string | null };
}

interface Walk {
  pages: CursorResponse[];
  ids: string[];
  ms: number;
  complete: boolean;
}

async function getPage(url: string): Promise<CursorResponse> {
  const response = await fetch(url);
  if (response.status !== 200) {
    throw new Error(
      `GET ${url.slice(0, 120)}: ${response.status} ${(await response.text()).slice(0, 200)}`,
    );
  }
  return (await response.json()) as CursorResponse;
}

/** Follows `link(page)` one request at a time (keep-alive) for up to `maxPages` or `budgetMs`. */
async function walk(
  first: string,
  link: (page: CursorResponse) => string | null,
  maxPages: number,
  budgetMs: number,
): Promise<Walk> {
  const pages: CursorResponse[] = [];
  const started = performance.now();
  let url: string | null = first;
  while (url && pages.length < maxPages) {
    if (performance.now() - started > budgetMs) {
      return { pages, ids: [], ms: performance.now() - started, complete: false };
    }
    const page = await getPage(url);
    pages.push(page);
    url = link(page);
  }
  const ids = pages.flatMap((page) => page.items.map((item) => item.id));
  return { pages, ids, ms: performance.now() - started, complete: url === null };
}

/** Rows of `expected` never seen, rows seen twice or more, and positions out of order. */
function check(walked: string[], expected: string[]) {
  const seen = new Set(walked);
  return {
    skipped: expected.filter((id) => !seen.has(id)).length,
    duplicated: walked.length - seen.size,
    misplaced: walked.filter((id, index) => id !== expected[index]).length,
  };
}

const countRow = (metric: string, value: number, notes: string): Measurement => ({
  metric,
  value,
  unit: 'rows',
  baseline: 'required',
  baselineValue: 0,
  better: 'lower',
  notes,
});

/**
 * Walks the whole table by cursor (size 100), then BACKWARD_PAGES pages back from the end, and
 * compares both with the database's order: skipped and duplicated rows must be 0. If the full
 * walk would take longer than WALK_BUDGET_MS, walks `status = inactive` instead (noted).
 */
export async function cursorWalk(context: BenchContext, app: BenchApp): Promise<Measurement[]> {
  const base = `${app.baseUrl}/agents/cursor?size=${SIZE}`;
  const next = (filter: string) => (page: CursorResponse) =>
    page.metadata.next_cursor
      ? `${base}${filter}&cursor=${encodeURIComponent(page.metadata.next_cursor)}`
      : null;
  let filter = { query: '', sql: '' };
  context.log(`  cursor walk of the whole table, ${SIZE} rows per page...`);
  let forward = await walk(base, next(''), Infinity, WALK_BUDGET_MS);
  let scope = 'whole table';
  if (!forward.complete) {
    context.log(
      `  full walk over ${WALK_BUDGET_MS / 1000} s after ${forward.pages.length} pages; walking status=inactive`,
    );
    scope = `status=inactive (the full walk passed ${WALK_BUDGET_MS / 1000} s after ${forward.pages.length} pages)`;
    filter = FALLBACK_FILTER;
    forward = await walk(`${base}${filter.query}`, next(filter.query), Infinity, Infinity);
  }
  const expected = (
    await context.query<{ id: string }>(
      `SELECT id::text AS id FROM agents ${filter.sql} ${AGENTS_ORDER}`,
    )
  ).map((row) => row.id);
  const ahead = check(forward.ids, expected);

  const last = forward.pages[forward.pages.length - 1];
  const prev = (page: CursorResponse) =>
    page.metadata.prev_cursor
      ? `${base}${filter.query}&cursor=${encodeURIComponent(page.metadata.prev_cursor)}`
      : null;
  const firstBack = prev(last);
  if (!firstBack) {
    throw new Error('the last page of the walk has no prev_cursor');
  }
  context.log(`  ${BACKWARD_PAGES} pages backward from the end...`);
  const backward = await walk(firstBack, prev, BACKWARD_PAGES, Infinity);
  const backIds = [...backward.pages]
    .reverse()
    .flatMap((page) => page.items.map((item) => item.id));
  const end = expected.indexOf(last.items[0].id);
  const back = check(backIds, expected.slice(end - backIds.length, end));

  const firstPages = await timeIt(async () => {
    for (let run = 0; run < 200; run++) {
      await getPage(`${base}${filter.query}`);
    }
  });
  const forwardNotes = `${scope}: ${forward.ids.length} rows in ${forward.pages.length} sequential requests, ${(forward.ms / 1000).toFixed(1)} s; ${expected.length} rows in the database; ${ahead.misplaced} rows out of order`;
  const backNotes = `${backward.pages.length} pages (${backIds.length} rows) back from the last page, ${(backward.ms / 1000).toFixed(1)} s; ${back.misplaced} rows out of order`;
  return [
    {
      metric: 'cursor-walk-forward rows/s',
      value: forward.ids.length / (forward.ms / 1000),
      unit: 'rows/s',
      baseline: `page 1 (size ${SIZE}) requested 200 times in a row`,
      baselineValue: (200 * SIZE) / (firstPages.ms / 1000),
      better: 'higher',
      notes: `${forwardNotes}; ratio ~1 = deep pages cost what page 1 costs`,
    },
    countRow('cursor-walk-forward-skipped', ahead.skipped, forwardNotes),
    countRow('cursor-walk-forward-duplicated', ahead.duplicated, forwardNotes),
    countRow('cursor-walk-backward-skipped', back.skipped, backNotes),
    countRow('cursor-walk-backward-duplicated', back.duplicated, backNotes),
  ];
}
