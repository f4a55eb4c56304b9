import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Measurement } from './scenario';

/** A row of bench/results/latest.json. */
export interface BenchResult {
  scenario: string;
  metric: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  /** > 1 means better than the baseline, whichever direction the metric improves in. */
  ratio: number;
  notes: string;
  /** ISO time the scenario finished. */
  at: string;
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/**
 * value / baseline for higher-is-better metrics, baseline / value for lower-is-better ones;
 * 1 when they are equal.
 */
export function ratioOf(measurement: Measurement): number {
  const { value, baselineValue, better } = measurement;
  // Equal counts (e.g. 0 skipped rows where 0 is required) are on target, not 0/0.
  if (value === baselineValue) {
    return 1;
  }
  return better === 'higher' ? value / baselineValue : baselineValue / value;
}

/** The stored form of a measurement. */
export function toResult(scenario: string, measurement: Measurement, at: string): BenchResult {
  return {
    scenario,
    metric: measurement.metric,
    value: round(measurement.value),
    unit: measurement.unit,
    baseline: measurement.baseline,
    baselineValue: round(measurement.baselineValue),
    ratio: round(ratioOf(measurement)),
    notes: measurement.notes ?? '',
    at,
  };
}

/**
 * Replaces the stored rows of the scenarios that just ran and keeps the others, so running one
 * scenario does not erase the rest. Sorted by scenario for stable diffs.
 */
export function mergeResults(previous: BenchResult[], fresh: BenchResult[]): BenchResult[] {
  const ran = new Set(fresh.map((result) => result.scenario));
  return [...previous.filter((result) => !ran.has(result.scenario)), ...fresh].sort((a, b) =>
    a.scenario.localeCompare(b.scenario),
  );
}

/** Reads a results file; a missing or unreadable file counts as no results. */
export function readResults(path: string): BenchResult[] {
  if (!existsSync(path)) {
    return [];
  }
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return Array.isArray(parsed) ? (parsed as BenchResult[]) : [];
  } catch {
    return [];
  }
}

/** Writes results as indented JSON with a trailing newline (diff-friendly). */
export function writeResults(path: string, results: BenchResult[]): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

/** A plain-text table: scenario, metric, value, baseline, ratio. */
export function formatTable(results: BenchResult[]): string {
  const number = (value: number): string => value.toLocaleString('en-US');
  const rows = [
    ['scenario', 'metric', 'value', 'baseline', 'ratio'],
    ...results.map((r) => [
      r.scenario,
      r.metric,
      `${number(r.value)} ${r.unit}`,
      `${number(r.baselineValue)} ${r.unit} (${r.baseline})`,
      `${r.ratio.toFixed(2)}x`,
    ]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]): string =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [
    line(rows[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ].join('\n');
}
