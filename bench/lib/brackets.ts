import { assertNoFailures, LoadResult, runLoad } from './http-load';
import type { ServerProcess } from './server-process';
import { median } from './timer';
import { LoadGenerator, runWrk } from './wrk-load';

/** A route measured in brackets: one URL of one server process, with fixed headers. */
export interface BracketTarget {
  label: string;
  server: ServerProcess;
  path: string;
  headers?: Record<string, string>;
  /**
   * Handler executions so far (the fixture's counter, the cache's loader calls): when given, it
   * must not move during a measured run, or the run was not all hits and the scenario fails.
   */
  handlerCalls?: () => Promise<number>;
  /** What to add to a failed hit check, e.g. the cache's counters (Redis timeouts, breaker). */
  explain?: () => Promise<unknown>;
}

/** A load run plus the server's CPU time per response during it. */
export interface BracketRun extends LoadResult {
  cpuMicrosPerRequest: number;
  /** The user part of it (the server's own code); the rest is the kernel's (system time). */
  userMicrosPerRequest: number;
}

/** One X run between the two R runs around it. */
export interface Bracket {
  before: BracketRun;
  value: BracketRun;
  after: BracketRun;
}

/** Every bracket of one target, in round order. */
export interface BracketSeries {
  target: BracketTarget;
  brackets: Bracket[];
}

/** Options of {@link measureInBrackets}. */
export interface BracketOptions {
  rounds: number;
  /** Seconds per run. */
  duration: number;
  connections: number;
  /** Unmeasured (but checked) seconds per target before the first round. */
  warmup: number;
  /**
   * What drives the measured runs (see `chooseLoadGenerator`). Checked runs always use autocannon,
   * which compares bodies. @default 'autocannon'
   */
  generator?: LoadGenerator;
  log: (message: string) => void;
}

/** Seconds of the checked run after the rounds. */
const CHECK_SECONDS = 2;

const url = (target: BracketTarget): string => `${target.server.baseUrl}${target.path}`;

/** The body every response of the target must repeat byte for byte (its current response). */
export async function currentBody(target: BracketTarget): Promise<string> {
  const response = await fetch(url(target), { headers: target.headers });
  const body = await response.text();
  if (response.status !== 200) {
    throw new Error(`${target.label}: status ${response.status} (${body.slice(0, 200)})`);
  }
  return body;
}

/**
 * One run whose responses must all be 2xx and whose handler must not run. With `body`, every
 * response is also compared with it byte for byte (the warm-up and the checked run after the rounds): that
 * comparison costs autocannon so much that it tops out near 30k responses/s on one core, below
 * an L1 hit's rate, so measured runs leave it out and are bracketed by checked runs instead.
 * Measured runs go to wrk when `generator` says so (statuses of 400 or more fail them; wrk is
 * cheaper per request than autocannon even without the comparison). A warm-up (`log` given)
 * only logs handler runs (cold JIT, first hits).
 */
async function measure(
  target: BracketTarget,
  body: string | undefined,
  seconds: number,
  connections: number,
  measured: { log?: (message: string) => void; generator?: LoadGenerator } = {},
): Promise<BracketRun> {
  const calls = await target.handlerCalls?.();
  const cpu = target.server.cpuSplit();
  const headers = target.headers ? { headers: target.headers } : {};
  const load =
    body === undefined && measured.generator === 'wrk'
      ? await runWrk({ url: url(target), connections, duration: seconds, ...headers })
      : await runLoad({
          url: url(target),
          connections,
          duration: seconds,
          ...(body === undefined ? {} : { expectBody: body }),
          ...headers,
        });
  const spent = target.server.cpuSplit();
  const requests = Math.max(1, load.requests);
  const userMicrosPerRequest = (spent.userMicros - cpu.userMicros) / requests;
  const cpuMicrosPerRequest =
    userMicrosPerRequest + (spent.systemMicros - cpu.systemMicros) / requests;
  assertNoFailures(target.label, load);
  if (calls !== undefined) {
    const ran = (await target.handlerCalls!()) - calls;
    const stats = ran !== 0 && target.explain ? `; ${JSON.stringify(await target.explain())}` : '';
    const message = `${target.label}: the handler ran ${ran} times during a hit run of ${load.requests} requests (${Math.round(load.requestsPerSecond)} req/s): not all hits${stats}`;
    if (ran !== 0 && measured.log) {
      measured.log(`  warm-up only: ${message}`);
    } else if (ran !== 0) {
      throw new Error(message);
    }
  }
  return { ...load, cpuMicrosPerRequest, userMicrosPerRequest };
}

/**
 * The share of one core the server used during a run: near 100% the server set the pace; well
 * below it the load generator did, and the run's req/s says more about the client than the server.
 */
export const serverBusy = (run: BracketRun): number =>
  (run.cpuMicrosPerRequest * run.requestsPerSecond) / 1e6;

const summary = (run: BracketRun): string =>
  `${Math.round(run.requestsPerSecond)} req/s, p99 ${run.p99Ms} ms, ${Math.round(run.cpuMicrosPerRequest)} µs CPU/req (user ${Math.round(run.userMicrosPerRequest)}), server core ${Math.round(100 * serverBusy(run))}% busy`;

/**
 * R-X-R brackets: each round runs R, X1, R, X2, R, ... R (the X order rotated each round), so
 * every X run sits between two R runs taken moments before and after it, and a ratio against
 * their mean cancels the drift of a shared machine. Every response must be a 2xx and a target's
 * handler must not run during a measured run (2xx with autocannon; below 400 with wrk, which
 * counts nothing else). Bodies are compared byte for byte with the target's
 * response before the rounds (autocannon's `expectBody`) in the checked warm-up before the rounds
 * and in a checked run after them (see {@link measure} for why not in every run); any failure
 * throws.
 */
export async function measureInBrackets(
  reference: BracketTarget,
  targets: BracketTarget[],
  options: BracketOptions,
): Promise<BracketSeries[]> {
  const { rounds, duration, connections, warmup, log, generator = 'autocannon' } = options;
  const bodies = new Map<BracketTarget, string>();
  // A checked run compares every body: never `undefined` (which would skip the comparison).
  const bodyOf = (target: BracketTarget): string => {
    const body = bodies.get(target);
    if (body === undefined) {
      throw new Error(`${target.label}: no body to check against`);
    }
    return body;
  };
  for (const target of [reference, ...targets]) {
    bodies.set(target, await currentBody(target));
    if (warmup > 0) {
      log(`  warm-up ${warmup} s: ${target.label}`);
      await measure(target, bodyOf(target), warmup, connections, { log });
    }
  }
  const run = async (target: BracketTarget, round: number): Promise<BracketRun> => {
    const result = await measure(target, undefined, duration, connections, { generator });
    log(`  round ${round + 1}: ${target.label}: ${summary(result)}`);
    return result;
  };
  const series = targets.map((target): BracketSeries => ({ target, brackets: [] }));
  for (let round = 0; round < rounds; round++) {
    let before = await run(reference, round);
    for (let step = 0; step < targets.length; step++) {
      const index = (round + step) % targets.length;
      const value = await run(targets[index], round);
      const after = await run(reference, round);
      series[index].brackets.push({ before, value, after });
      before = after;
    }
  }
  for (const target of [reference, ...targets]) {
    log(`  checked run ${CHECK_SECONDS} s (every body byte-identical): ${target.label}`);
    await measure(target, bodyOf(target), CHECK_SECONDS, connections);
  }
  return series;
}

/** Median and range of a set of ratios. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** The median of `values` with their range. */
export function spreadOf(values: readonly number[]): Spread {
  if (values.length === 0) {
    throw new Error('spread of no values');
  }
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** Per-bracket ratios X / mean(R before, R after) of one number of a run. */
export function bracketRatios(series: BracketSeries, pick: (run: BracketRun) => number): Spread {
  return spreadOf(
    series.brackets.map(
      ({ before, value, after }) => pick(value) / ((pick(before) + pick(after)) / 2),
    ),
  );
}
