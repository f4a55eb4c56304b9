import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { LoadResult } from './http-load';

/** The HTTP load generator of the measured bracket runs. */
export type LoadGenerator = 'wrk' | 'autocannon';

const SUMMARY_SCRIPT = join(__dirname, 'wrk-summary.lua');

/** wrk's version (`4.1.0`), or undefined when no `wrk` is on the PATH. */
export function wrkVersion(): string | undefined {
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    return undefined;
  }
  return /wrk (?:\S*\/)?([0-9][^\s-]*)/.exec(probe.stdout)?.[1] ?? 'unknown version';
}

/**
 * The load generator of measured runs: `BENCH_LOAD_GENERATOR` (`wrk` or `autocannon`), else wrk
 * when it is installed (the Debian package `wrk`), else autocannon. wrk is what issue 14's
 * harness used; it is written in C and costs its core less per request than autocannon, so the
 * server sets the pace of even the fastest rows (see README, *Who set the pace*).
 */
export function chooseLoadGenerator(
  wanted = process.env.BENCH_LOAD_GENERATOR,
  version: () => string | undefined = wrkVersion,
): { generator: LoadGenerator; describe: string } {
  if (wanted !== undefined && wanted !== 'wrk' && wanted !== 'autocannon') {
    throw new Error(`BENCH_LOAD_GENERATOR must be wrk or autocannon, not ${wanted}`);
  }
  if (wanted === 'autocannon') {
    return { generator: 'autocannon', describe: 'autocannon (BENCH_LOAD_GENERATOR)' };
  }
  const found = version();
  if (found !== undefined) {
    return { generator: 'wrk', describe: `wrk ${found}, 1 thread` };
  }
  if (wanted === 'wrk') {
    throw new Error(
      'BENCH_LOAD_GENERATOR=wrk but no wrk on the PATH (Debian: apt-get install wrk)',
    );
  }
  return {
    generator: 'autocannon',
    describe: 'autocannon (no wrk on the PATH: the fastest rows may measure the client)',
  };
}

/** What wrk-summary.lua prints. */
interface WrkSummary {
  requests: number;
  durationMicros: number;
  connectErrors: number;
  readErrors: number;
  writeErrors: number;
  timeouts: number;
  /** Responses with a status of 400 or more (wrk counts nothing else as a status error). */
  statusErrors: number;
  p50Micros: number;
  p99Micros: number;
}

/** The LoadResult of a wrk run from its output (the summary script's JSON line). */
export function parseWrkOutput(output: string): LoadResult {
  const line = output
    .split('\n')
    .reverse()
    .find((text) => text.startsWith('{'));
  if (line === undefined) {
    throw new Error(`wrk printed no summary: ${output.slice(-500)}`);
  }
  const summary = JSON.parse(line) as WrkSummary;
  const seconds = summary.durationMicros / 1e6;
  const statusCounts: Record<string, number> = {
    'below 400': summary.requests - summary.statusErrors,
  };
  if (summary.statusErrors > 0) {
    statusCounts['400 or more'] = summary.statusErrors;
  }
  return {
    requests: summary.requests,
    requestsPerSecond: seconds > 0 ? summary.requests / seconds : 0,
    p50Ms: summary.p50Micros / 1000,
    p99Ms: summary.p99Micros / 1000,
    errors: summary.connectErrors + summary.readErrors + summary.writeErrors + summary.timeouts,
    non2xx: summary.statusErrors,
    mismatches: 0,
    seconds,
    statusCounts,
  };
}

/** Options of {@link runWrk}. */
export interface WrkOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  headers?: Record<string, string>;
}

/**
 * One wrk run (one thread, on this process's cores: the bench pins itself to the load core).
 * wrk checks no body and counts only statuses of 400 or more as failures: measured runs only,
 * between the bench's checked runs.
 */
export function runWrk(options: WrkOptions): Promise<LoadResult> {
  const headers = Object.entries(options.headers ?? {}).flatMap(([name, value]) => [
    '-H',
    `${name}: ${value}`,
  ]);
  const args = [
    '-t1',
    `-c${options.connections}`,
    `-d${options.duration}s`,
    '--timeout',
    '10s',
    '-s',
    SUMMARY_SCRIPT,
    ...headers,
    options.url,
  ];
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`wrk failed: ${error.message} ${stderr}`));
        return;
      }
      try {
        resolve(parseWrkOutput(stdout));
      } catch (parseError) {
        reject(parseError instanceof Error ? parseError : new Error(String(parseError)));
      }
    });
  });
}
