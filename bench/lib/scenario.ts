import type { BenchApp } from './bench-app';

/**
 * One result of a scenario: a value and the baseline it is compared with, both measured in the
 * same run on the same machine, so the ratio is meaningful even where absolute numbers are not.
 */
export interface Measurement {
  /** What was measured, e.g. `insert rows/s`. */
  metric: string;
  value: number;
  /** e.g. `rows/s`, `req/s`, `ms`. Applies to value and baselineValue. */
  unit: string;
  /** What the baseline is, e.g. `10,000 single POST /agents`. */
  baseline: string;
  baselineValue: number;
  /** Which direction is an improvement; the ratio is oriented so that > 1 is always better. */
  better: 'higher' | 'lower';
  /** Goal, sample sizes, anything a reader needs to trust the number. */
  notes?: string;
}

/** What the runner gives every scenario. */
export interface BenchContext {
  /** URL of the bench database (migrated, bench user present). */
  databaseUrl: string;
  /** The real app listening on a loopback port; started on first call, shared by scenarios. */
  app(): Promise<BenchApp>;
  /** Runs SQL on the bench database (setup and cleanup; not for measured work). */
  query<R extends object = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Progress notes on stderr, so stdout keeps only the result table. */
  log(message: string): void;
}

/** A benchmark: a module in bench/scenarios/ exporting `scenario`. */
export interface Scenario {
  /** Name used on the command line (`npm run bench -- <name>`); the file name by convention. */
  name: string;
  description: string;
  run(context: BenchContext): Promise<Measurement[]>;
}
