import 'reflect-metadata';
import { join } from 'node:path';
import { Pool } from 'pg';
import { BenchApp, startBenchApp } from './lib/bench-app';
import { prepareBenchDatabase } from './lib/bench-database';
import { prepareBenchEnv } from './lib/bench-env';
import {
  BenchResult,
  formatTable,
  mergeResults,
  readResults,
  toResult,
  writeResults,
} from './lib/results';
import type { BenchContext } from './lib/scenario';
import { loadScenarios, selectScenarios } from './lib/scenarios';

// `npm run bench [-- <scenario> ...]`: runs the scenarios of bench/scenarios/ against the real app
// and a bench database, prints a table, and updates bench/results/latest.json. Not part of
// `npm test`: these are measurements, not pass/fail tests (a scenario fails only when its
// requests do).
const RESULTS_FILE = join(__dirname, 'results', 'latest.json');
const log = (message: string) => process.stderr.write(`${message}\n`);

async function main(): Promise<number> {
  const scenarios = selectScenarios(
    loadScenarios(join(__dirname, 'scenarios')),
    process.argv.slice(2),
  );
  prepareBenchEnv();
  const databaseUrl = await prepareBenchDatabase();
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  let app: Promise<BenchApp> | undefined;
  const context: BenchContext = {
    databaseUrl,
    app: () => (app ??= startBenchApp()),
    query: async <R extends object>(sql: string, params?: unknown[]) =>
      (await pool.query<R>(sql, params)).rows,
    log,
  };
  const fresh: BenchResult[] = [];
  let failures = 0;
  try {
    for (const scenario of scenarios) {
      log(`> ${scenario.name}: ${scenario.description}`);
      try {
        const measurements = await scenario.run(context);
        const at = new Date().toISOString();
        fresh.push(...measurements.map((m) => toResult(scenario.name, m, at)));
      } catch (error) {
        failures++;
        log(`x ${scenario.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    if (app) {
      await (await app).close();
    }
    await pool.end();
  }
  if (fresh.length > 0) {
    process.stdout.write(`\n${formatTable(fresh)}\n`);
    writeResults(RESULTS_FILE, mergeResults(readResults(RESULTS_FILE), fresh));
    log(`\nWrote ${RESULTS_FILE}`);
  }
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    // A handle left open by a scenario must not hang CI after the results are written.
    setTimeout(() => {
      log('bench: exiting with open handles');
      process.exit(code);
    }, 5000).unref();
  },
  (error: unknown) => {
    // The message names the problem (unknown scenario, database unreachable); BENCH_DEBUG=1 adds the stack.
    const detail = error instanceof Error && process.env.BENCH_DEBUG ? error.stack : undefined;
    log(`bench failed: ${detail ?? (error instanceof Error ? error.message : String(error))}`);
    process.exit(1);
  },
);
