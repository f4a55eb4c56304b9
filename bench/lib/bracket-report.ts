import { BracketRun, bracketRatios, BracketSeries, Spread, spreadOf } from './brackets';
import type { Measurement } from './scenario';
import type { ServerProcess } from './server-process';
import { median } from './timer';

/** What every row of a bracketed scenario says about how it was measured. */
export interface BracketShape {
  /** The reference's label, e.g. `R (bare Nest + Fastify)`. */
  reference: string;
  /** Connections, rounds, seconds, pinning, config: appended to every row's notes. */
  notes: string;
}

const rps = (run: BracketRun) => run.requestsPerSecond;
const cpu = (run: BracketRun) => run.cpuMicrosPerRequest;
const user = (run: BracketRun) => run.userMicrosPerRequest;
const p99 = (run: BracketRun) => run.p99Ms;
const x = (value: number) => `${value.toFixed(2)}x`;
const spread = (s: Spread) => `${x(s.median)} (range ${x(s.min)}-${x(s.max)})`;

/** Medians of the X runs and of the R runs around them. */
function absolutes(series: BracketSeries): string {
  const values = series.brackets.map((b) => b.value);
  const references = series.brackets.flatMap((b) => [b.before, b.after]);
  const of = (runs: BracketRun[]) =>
    `${Math.round(median(runs.map(rps)))} req/s, p99 ${median(runs.map(p99))} ms, ${Math.round(median(runs.map(cpu)))} µs CPU/req (user ${Math.round(median(runs.map(user)))})`;
  return `X ${of(values)}; R around it ${of(references)}`;
}

/**
 * Three rows per target, each the median of its per-bracket ratios X / mean(R before, R after):
 * req/s (higher is better), server CPU µs per request (lower is better), and the user part of
 * that CPU (the servers' own code, without the kernel's socket work, which is about the same per
 * response for both). The notes give the range, the p99 ratio and the absolute medians.
 */
export function bracketMeasurements(series: BracketSeries[], shape: BracketShape): Measurement[] {
  return series.flatMap((one): Measurement[] => {
    const n = one.brackets.length;
    const notes = `median of ${n} R-X-R brackets; req/s ${spread(bracketRatios(one, rps))}, CPU/req ${spread(bracketRatios(one, cpu))}, p99 ${spread(bracketRatios(one, p99))}. ${absolutes(one)}. ${shape.notes}`;
    const row = (metric: string, value: number, better: 'higher' | 'lower'): Measurement => ({
      metric: `${one.target.label} ${metric} vs R`,
      value,
      unit: 'x',
      baseline: shape.reference,
      baselineValue: 1,
      better,
      notes,
    });
    return [
      row('req/s', bracketRatios(one, rps).median, 'higher'),
      row('CPU/req', bracketRatios(one, cpu).median, 'lower'),
      row('user CPU/req', bracketRatios(one, user).median, 'lower'),
    ];
  });
}

/**
 * req/s of `a` against `b` with R cancelled: per round, a's bracket ratio over b's (both against
 * the R runs around them, minutes apart at most), then the median.
 */
export function relativeMeasurement(
  a: BracketSeries,
  b: BracketSeries,
  shape: BracketShape,
): Measurement {
  const ratioOf = (series: BracketSeries, round: number) => {
    const { before, value, after } = series.brackets[round];
    return rps(value) / ((rps(before) + rps(after)) / 2);
  };
  const ratios = spreadOf(a.brackets.map((_, round) => ratioOf(a, round) / ratioOf(b, round)));
  return {
    metric: `${a.target.label} vs ${b.target.label} req/s`,
    value: ratios.median,
    unit: 'x',
    baseline: b.target.label,
    baselineValue: 1,
    better: 'higher',
    notes: `per round: (a / its R) / (b / its R); ${spread(ratios)} over ${a.brackets.length} rounds. ${shape.notes}`,
  };
}

const mib = (bytes: number) => bytes / 1024 / 1024;

/** Peak RSS (VmHWM) of a server process over the whole scenario against R's. */
export function peakRssMeasurement(
  server: ServerProcess,
  reference: ServerProcess,
  shape: BracketShape,
): Measurement {
  return {
    metric: `${server.label} peak RSS`,
    value: mib(server.peakRssBytes()),
    unit: 'MiB',
    baseline: shape.reference,
    baselineValue: mib(reference.peakRssBytes()),
    better: 'lower',
    notes: `VmHWM of /proc/<pid>/status at the end of the scenario; both processes run compiled JavaScript (dist-bench/), no ts-node. ${shape.notes}`,
  };
}
