import { PROCESS_TIME_HEADER } from '../../src/monitoring';
import { AppProcess, spawnBenchApp } from '../lib/app-process';
import { assertNoFailures, runLoad } from '../lib/http-load';
import { compareLoads, loadInRounds, medianRoundRatio } from '../lib/load-rounds';
import type { BenchContext, Measurement, Scenario } from '../lib/scenario';

/** The monitoring module's goal for the liveness probe under load. */
const LIVE_P99_GOAL_MS = 5;
const LIVE_LOAD = { connections: 50, duration: Number(process.env.BENCH_DURATION ?? 10) };
/** A/B rounds per route; the median is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ROUTES = [
  { path: '/health/live', connections: 50 },
  { path: '/agents?page=1&size=20&count=none', connections: 10 },
];

/** Checks that one instance times requests (X-Process-Time) and the other does not. */
async function expectTiming(app: AppProcess, timed: boolean): Promise<void> {
  const response = await fetch(`${app.baseUrl}/health/live`);
  if (response.status !== 200 || response.headers.has(PROCESS_TIME_HEADER) !== timed) {
    throw new Error(
      `${app.baseUrl}/health/live: status ${response.status}, ${PROCESS_TIME_HEADER} ${response.headers.has(PROCESS_TIME_HEADER) ? 'present' : 'absent'}; expected ${timed ? 'present' : 'absent'}`,
    );
  }
}

/**
 * `/health/live` flat out over 50 connections (the goal's "under load") and over 10. Latency at
 * saturation is about connections / throughput, so the 10-connection p99 shows the route's own
 * cost better on a small box.
 */
async function liveUnderLoad(app: AppProcess): Promise<Measurement[]> {
  const url = `${app.baseUrl}/health/live`;
  const runs = [
    { name: `${LIVE_LOAD.connections} connections`, options: {} },
    { name: '10 connections', options: { connections: 10 } },
  ];
  const measurements: Measurement[] = [];
  for (const run of runs) {
    const load = await runLoad({ url, ...LIVE_LOAD, ...run.options });
    assertNoFailures(`/health/live ${run.name}`, load);
    measurements.push({
      metric: `health-live-p99 ${run.name}`,
      value: load.p99Ms,
      unit: 'ms',
      baseline: `goal p99 < ${LIVE_P99_GOAL_MS} ms`,
      baselineValue: LIVE_P99_GOAL_MS,
      better: 'lower',
      notes: `${run.name}, ${LIVE_LOAD.duration} s, monitoring layer on: ${Math.round(load.requestsPerSecond)} req/s, p50 ${load.p50Ms} ms, p99 ${load.p99Ms} ms`,
    });
  }
  return measurements;
}

async function overhead(context: BenchContext, on: AppProcess, off: AppProcess) {
  const measurements: Measurement[] = [];
  for (const route of ROUTES) {
    const [timed, untimed] = await loadInRounds(
      [
        { label: `${route.path} with monitoring`, url: `${on.baseUrl}${route.path}` },
        { label: `${route.path} MONITORING__ENABLED=false`, url: `${off.baseUrl}${route.path}` },
      ],
      {
        rounds: ROUNDS,
        duration: 5,
        connections: route.connections,
        onRun: (target, round) => context.log(`  round ${round + 1}: ${target.label}`),
      },
    );
    const ratio = medianRoundRatio(timed, untimed);
    measurements.push(
      ...compareLoads(
        `monitoring-overhead ${route.path}`,
        timed,
        untimed,
        `two app processes, ${route.connections} connections; request timing + HTTP metrics cost ~${((1 - ratio) * 100).toFixed(1)}% of req/s (median per-round ratio ${ratio.toFixed(3)})`,
      ),
    );
  }
  return measurements;
}

/** `/health/live` under load, and the monitoring layer's per-request cost (A/B instances). */
export const scenario: Scenario = {
  name: 'monitoring',
  description: `/health/live p99 under load; request overhead of the monitoring layer (${ROUNDS} A/B rounds)`,
  async run(context): Promise<Measurement[]> {
    // Each instance in its own process, so neither shares an event loop or JIT state.
    const on = await spawnBenchApp({ MONITORING__ENABLED: 'true' });
    let off: AppProcess | undefined;
    try {
      off = await spawnBenchApp({ MONITORING__ENABLED: 'false' });
      await expectTiming(on, true);
      await expectTiming(off, false);
      context.log(
        `  /health/live, ${LIVE_LOAD.connections} connections, ${LIVE_LOAD.duration} s...`,
      );
      const live = await liveUnderLoad(on);
      return [...live, ...(await overhead(context, on, off))];
    } finally {
      await Promise.all([on.close(), off?.close()]);
    }
  },
};
