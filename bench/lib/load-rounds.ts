import { assertNoFailures, LoadOptions, LoadResult, runLoad } from './http-load';
import type { Measurement } from './scenario';
import { median } from './timer';

/** A fixed request measured against others in the same run. */
export interface LoadTarget {
  label: string;
  url: string;
  headers?: Record<string, string>;
}

/** Every run of one target and the medians over them. */
export interface RoundsResult {
  label: string;
  runs: LoadResult[];
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Options of {@link loadInRounds}. */
export interface RoundsOptions {
  /** Runs per target; the medians are reported. @default 3 */
  rounds?: number;
  /** Seconds per run. @default 5 */
  duration?: number;
  /** @default 10 */
  connections?: number;
  /** Seconds of unmeasured load per target before the first round. @default 1 */
  warmup?: number;
  /** Called before each run, e.g. for progress. */
  onRun?: (target: LoadTarget, round: number) => void;
}

const summarise = (label: string, runs: LoadResult[]): RoundsResult => ({
  label,
  runs,
  requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
  p50Ms: median(runs.map((run) => run.p50Ms)),
  p99Ms: median(runs.map((run) => run.p99Ms)),
});

/**
 * Loads each target in turn, round after round (A B, B A, A B, ...: the order alternates so
 * neither target always runs first), so drift on a shared machine hits all targets alike.
 * Throws when any run gets a non-2xx response or a connection error.
 */
export async function loadInRounds(
  targets: LoadTarget[],
  options: RoundsOptions = {},
): Promise<RoundsResult[]> {
  const { rounds = 3, duration = 5, connections = 10, warmup = 1, onRun } = options;
  const load = (target: LoadTarget, seconds: number): Promise<LoadResult> => {
    const request: LoadOptions = { url: target.url, connections, duration: seconds };
    return runLoad(target.headers ? { ...request, headers: target.headers } : request);
  };
  const runs = targets.map((): LoadResult[] => []);
  for (const target of targets) {
    if (warmup > 0) {
      assertNoFailures(`${target.label} (warm-up)`, await load(target, warmup));
    }
  }
  for (let round = 0; round < rounds; round++) {
    const order = targets.map((_, index) => index);
    if (round % 2 === 1) {
      order.reverse();
    }
    for (const index of order) {
      onRun?.(targets[index], round);
      const result = await load(targets[index], duration);
      assertNoFailures(targets[index].label, result);
      runs[index].push(result);
    }
  }
  return targets.map((target, index) => summarise(target.label, runs[index]));
}

/** Median over rounds of value.req/s ÷ baseline.req/s, each round's pair run back to back. */
export function medianRoundRatio(value: RoundsResult, baseline: RoundsResult): number {
  return median(
    value.runs.map((run, round) => run.requestsPerSecond / baseline.runs[round].requestsPerSecond),
  );
}

const describe = (result: RoundsResult): string =>
  `${result.label}: ${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`;

/**
 * Two rows comparing a target with its baseline: req/s (higher is better) and p50 latency
 * (lower is better), medians over the rounds, with both sides' numbers in the notes.
 */
export function compareLoads(
  metric: string,
  value: RoundsResult,
  baseline: RoundsResult,
  notes = '',
): Measurement[] {
  const detail = `${describe(value)}; ${describe(baseline)}; median of ${value.runs.length} alternating runs; per-round req/s ratio median ${medianRoundRatio(value, baseline).toFixed(2)}`;
  const withNotes = notes ? `${notes}. ${detail}` : detail;
  return [
    {
      metric: `${metric} req/s`,
      value: value.requestsPerSecond,
      unit: 'req/s',
      baseline: baseline.label,
      baselineValue: baseline.requestsPerSecond,
      better: 'higher',
      notes: withNotes,
    },
    {
      metric: `${metric} p50`,
      value: value.p50Ms,
      unit: 'ms',
      baseline: baseline.label,
      baselineValue: baseline.p50Ms,
      better: 'lower',
      notes: withNotes,
    },
  ];
}
