import Bull from 'bull';
import { deleteKeysWithPrefix } from '../fixtures/caching/redis-keys';
import { startBenchApp } from '../lib/bench-app';
import { NOOP_TASK, startQueueBench } from '../lib/queue-bench.module';
import {
  compareLookups,
  ComputeLookups,
  HttpLatency,
  LOAD_CLIENTS,
  LookupComparison,
  measureComputeLookups,
} from '../lib/queue-lookup';
import { retentionMeasurements, runRetention } from '../lib/queue-retention';
import {
  enqueueLoop,
  runOurs,
  runRaw,
  ThroughputOptions,
  ThroughputRun,
} from '../lib/queue-throughput';
import type { BenchContext, Measurement, Scenario } from '../lib/scenario';
import { median } from '../lib/timer';

/** Trivial jobs per throughput run (BENCH_QUEUE_JOBS overrides for quick runs). */
const JOBS = Number(process.env.BENCH_QUEUE_JOBS ?? 20_000);
/** Jobs run at once, ours and raw Bull alike. */
const CONCURRENCY = 10;
/** Throughput runs per side, alternating which side goes first; medians are reported. */
const ROUNDS = 2;
/** Jobs per addBulk call. */
const CHUNK = 1000;
/** Single enqueues per side, `CONCURRENCY` calls in flight. */
const SINGLE_ENQUEUES = 5000;
/** Sequential lookups of existing ids. */
const LOOKUPS = 2000;
const LOOKUP_P99_GOAL_MS = 5;
/** Jobs of the retention run, sampled every RETENTION_BATCH (0 skips it). */
const RETENTION_JOBS = Number(process.env.BENCH_QUEUE_RETENTION_JOBS ?? 100_000);
const RETENTION_BATCH = 10_000;
const TIMEOUT_MS = 300_000;
/** Every Redis key of this scenario starts with it; they are deleted afterwards. */
const PREFIX = `agentic_bench_queues_${Date.now().toString(36)}`;

async function throughput(context: BenchContext, base: Omit<ThroughputOptions, 'prefix'>) {
  const ours: ThroughputRun[] = [];
  const raw: ThroughputRun[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const sides = [
      { key: 'ours', label: 'ours', run: runOurs, into: ours },
      { key: 'raw', label: 'raw Bull', run: runRaw, into: raw },
    ];
    for (const side of round % 2 === 0 ? sides : sides.reverse()) {
      const result = await side.run({ ...base, prefix: `${PREFIX}:r${round}:${side.key}` });
      context.log(
        `  round ${round + 1} ${side.label}: ${Math.round(result.processedPerSecond)} jobs/s processed, ` +
          `${Math.round(result.addBulkPerSecond)} jobs/s addBulk`,
      );
      side.into.push(result);
    }
  }
  return { ours, raw };
}

/**
 * Single enqueues on both sides (no worker), then lookups of the jobs left waiting: the state
 * where Bull's `getState` walks every state and copies the whole wait list.
 */
async function singleEnqueues(redisUrl: string) {
  const producer = await startQueueBench({
    REDIS__URL: redisUrl,
    REDIS__KEY_PREFIX: `${PREFIX}:single:ours`,
    QUEUES__PROCESS: 'false',
  });
  const queue = new Bull('raw', { prefix: `${PREFIX}:single:raw`, redis: redisUrl });
  try {
    const ids: string[] = [];
    const ours = await enqueueLoop(SINGLE_ENQUEUES, CONCURRENCY, async (n) => {
      ids.push(await producer.queue.enqueue(NOOP_TASK, { n }));
    });
    const raw = await enqueueLoop(SINGLE_ENQUEUES, CONCURRENCY, (n) => queue.add({ n }));
    const queued = await compareLookups(producer.queue, ids.slice(0, LOOKUPS), 'queued');
    return { ours, raw, queued };
  } finally {
    await producer.close();
    await queue.close();
  }
}

const processed = (runs: ThroughputRun[]) => median(runs.map((r) => r.processedPerSecond));
const added = (runs: ThroughputRun[]) => median(runs.map((r) => r.addBulkPerSecond));
const perRound = (runs: ThroughputRun[]) =>
  runs.map((r) => Math.round(r.processedPerSecond)).join(', ');

/**
 * Trivial-job throughput through our `@Task` worker vs raw Bull on the same Redis, bulk and single
 * enqueue rates, `GET /compute/{id}` lookup latency, and Redis usage over a long run with the
 * default retention. Everything lives under its own key prefix, deleted afterwards.
 */
export const scenario: Scenario = {
  name: 'queues',
  description: `${JOBS} noop jobs at concurrency ${CONCURRENCY}, ours vs raw Bull (${ROUNDS} rounds); addBulk; ${LOOKUPS} task lookups; ${RETENTION_JOBS}-job retention`,
  async run(context): Promise<Measurement[]> {
    const redisUrl = process.env.REDIS__URL ?? 'redis://127.0.0.1:6379';
    const base = {
      redisUrl,
      jobs: JOBS,
      concurrency: CONCURRENCY,
      chunk: CHUNK,
      timeoutMs: TIMEOUT_MS,
    };
    try {
      const runs = await throughput(context, base);
      context.log(`  ${SINGLE_ENQUEUES} single enqueues per side...`);
      const single = await singleEnqueues(redisUrl);
      context.log(`  ${LOOKUPS} lookups (app on its own prefix)...`);
      const appPrefix = `${PREFIX}:app`;
      // Closed by measureComputeLookups before its HTTP runs.
      const app = await startBenchApp({ REDIS__KEY_PREFIX: appPrefix });
      const lookups = await measureComputeLookups(app, appPrefix, LOOKUPS, TIMEOUT_MS);
      const measurements: Measurement[] = [
        {
          metric: 'noop jobs/s processed',
          value: processed(runs.ours),
          unit: 'jobs/s',
          baseline: `raw Bull process(${CONCURRENCY}), same Redis`,
          baselineValue: processed(runs.raw),
          better: 'higher',
          notes:
            `goal >= 0.5x. ${JOBS} jobs queued first, timed first to last completion; median of ${ROUNDS} ` +
            `alternating rounds (ours ${perRound(runs.ours)}; raw ${perRound(runs.raw)}). Ours: @Task explorer, ` +
            `WorkLimiter slot, shared connections, retention (removeOnComplete age+count); raw: defaults (keeps all)`,
        },
        {
          metric: 'addBulk jobs/s',
          value: added(runs.ours),
          unit: 'jobs/s',
          baseline: 'raw Bull addBulk',
          baselineValue: added(runs.raw),
          better: 'higher',
          notes: `JobQueue.addBulk vs Bull addBulk, ${JOBS} jobs in calls of ${CHUNK}, sequential; median of ${ROUNDS}`,
        },
        {
          metric: 'single enqueue jobs/s',
          value: single.ours,
          unit: 'jobs/s',
          baseline: 'raw Bull add',
          baselineValue: single.raw,
          better: 'higher',
          notes: `JobQueue.enqueue (the POST /compute path) vs Bull add, ${SINGLE_ENQUEUES} jobs, ${CONCURRENCY} in flight`,
        },
        ...lookupRows(lookups, single.queued),
      ];
      if (RETENTION_JOBS > 0) {
        context.log(`  ${RETENTION_JOBS}-job retention run...`);
        measurements.push(...(await retentionRows(redisUrl)));
      }
      return measurements;
    } finally {
      const deleted = await deleteKeysWithPrefix(redisUrl, PREFIX);
      context.log(`  deleted ${deleted} Redis keys under ${PREFIX}*`);
    }
  },
};

function lookupRows(completed: ComputeLookups, queued: LookupComparison): Measurement[] {
  const notes = `${LOOKUPS} sequential lookups after ${Math.min(200, LOOKUPS)} warm-up`;
  const ms = (value: number) => `${value.toFixed(3)} ms`;
  const inProcess = (label: string, lookups: LookupComparison, detail: string): Measurement => ({
    metric: `task lookup p99 in-process, ${label}`,
    value: lookups.ours.p99,
    unit: 'ms',
    baseline: 'Bull getJob + getState',
    baselineValue: lookups.bull.p99,
    better: 'lower',
    notes:
      `goal p99 < ${LOOKUP_P99_GOAL_MS} ms. ${notes} of ${detail}; JobQueue.get (one Lua call) ` +
      `p50 ${ms(lookups.ours.p50)}, Bull p50 ${ms(lookups.bull.p50)}`,
  });
  const http = (latency: HttpLatency) =>
    `p50 ${ms(latency.p50)}, p99 ${ms(latency.p99)}, ${Math.round(latency.requestsPerSecond)} req/s`;
  return [
    {
      metric: `GET /compute/{id} p99, ${LOAD_CLIENTS} clients`,
      value: completed.httpUnderLoad.p99,
      unit: 'ms',
      baseline: `goal p99 < ${LOOKUP_P99_GOAL_MS} ms`,
      baselineValue: LOOKUP_P99_GOAL_MS,
      better: 'lower',
      notes:
        `completed compute tasks, loopback keep-alive HTTP with a bearer token to an API instance ` +
        `in a child process (QUEUES__PROCESS=false); ${LOAD_CLIENTS} clients each polling as soon ` +
        `as its answer arrives: ${http(completed.httpUnderLoad)}; one client: ${http(completed.http)}. ` +
        `GET /health/live the same ways: ${http(completed.liveUnderLoad)}; ${http(completed.live)}`,
    },
    inProcess('completed', completed, 'completed compute tasks'),
    inProcess('queued', queued, `the oldest ${LOOKUPS} of ${SINGLE_ENQUEUES} waiting jobs`),
  ];
}

async function retentionRows(redisUrl: string): Promise<Measurement[]> {
  const samples = await runRetention({
    redisUrl,
    prefix: `${PREFIX}:retention`,
    jobs: RETENTION_JOBS,
    batch: RETENTION_BATCH,
    concurrency: CONCURRENCY,
    timeoutMs: TIMEOUT_MS,
  });
  return retentionMeasurements(samples);
}
