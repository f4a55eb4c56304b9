import { SERVER_ENTRIES } from '../fixtures/entries';
import { expectXCache } from '../fixtures/caching/hit-checks';
import { deleteKeysWithPrefix } from '../fixtures/caching/redis-keys';
import { bearerFor } from '../lib/bearer';
import { bracketOptions, describeLoad } from '../lib/bracket-env';
import { bracketMeasurements, BracketShape, peakRssMeasurement } from '../lib/bracket-report';
import { BracketTarget, measureInBrackets } from '../lib/brackets';
import { BENCH_USER_ID } from '../lib/bench-database';
import { pinCores } from '../lib/cpu-pinning';
import { assertNoFailures, runLoad } from '../lib/http-load';
import type { Measurement, Scenario } from '../lib/scenario';
import { ensureSeedAgents } from '../lib/seed-agents';
import { ServerProcess, startServerProcess } from '../lib/server-process';

/** Every Redis key of the app in this scenario starts with it; they are deleted before and after. */
const PREFIX = 'agentic_bench_app';
const REFERENCE = 'R (bare Nest + Fastify)';
/** Seed agents wanted (the seed tops up; more from another scenario are fine). */
const AGENTS = Number(process.env.BENCH_APP_AGENTS ?? 10_000);
const CACHED = '/agents?size=5';
/** Public and uncached: every request reads PostgreSQL (50 seed tools, 20 on the page). */
const DB_PAGE = '/tools?size=20';
const LIVE = '/health/live';

/** The response cache's counters (the admin stats route). */
const cacheStats = async (app: ServerProcess) =>
  (
    await app.get<{ stats: Record<string, number> }>('/cache/stats', {
      authorization: bearerFor(BENCH_USER_ID, 'admin'),
    })
  ).stats;

/**
 * `/health/live` on one connection while the DB page takes 50, against `/health/live` alone just
 * before: what a kubelet probe sees on a busy instance.
 */
async function liveBesideDbLoad(
  app: ServerProcess,
  seconds: number,
  shape: BracketShape,
): Promise<Measurement> {
  const live = () => runLoad({ url: `${app.baseUrl}${LIVE}`, connections: 1, duration: seconds });
  const alone = await live();
  const [beside, db] = await Promise.all([
    live(),
    runLoad({ url: `${app.baseUrl}${DB_PAGE}`, connections: 50, duration: seconds }),
  ]);
  for (const [label, load] of [
    [`${LIVE} alone`, alone],
    [`${LIVE} beside the DB page`, beside],
    [DB_PAGE, db],
  ] as const) {
    assertNoFailures(label, load);
  }
  return {
    metric: `app ${LIVE} p99 beside ${DB_PAGE} at 50 connections`,
    value: beside.p99Ms,
    unit: 'ms',
    baseline: `${LIVE} alone, same app`,
    baselineValue: alone.p99Ms,
    better: 'lower',
    notes: `one connection probing for ${seconds} s: alone ${Math.round(alone.requestsPerSecond)} req/s, p50 ${alone.p50Ms} ms, p99 ${alone.p99Ms} ms; beside ${Math.round(beside.requestsPerSecond)} req/s, p50 ${beside.p50Ms} ms, p99 ${beside.p99Ms} ms; ${DB_PAGE} meanwhile ${Math.round(db.requestsPerSecond)} req/s, p99 ${db.p99Ms} ms. ${shape.notes}`,
  };
}

/**
 * The service itself (`src/main.ts`, as `npm start` runs it, with its defaults: guard, global
 * interceptors, access logs at `info`, monitoring, rate limiter) against the bare baseline R, in
 * R-X-R brackets: the cached public `GET /agents?size=5` and an uncached 20-row page read from
 * PostgreSQL, and the cached route of a second app process that logs every hit
 * (`LOGGING__PUBLIC_EDGE_HITS=true`, the cost of the default's choice); then `/health/live` p99
 * beside that page at 50 connections, and peak RSS.
 */
export const scenario: Scenario = {
  name: 'app',
  description: `the real app's routes vs the bare baseline R in R-X-R brackets (${CACHED} cached, ${DB_PAGE} uncached, ${LIVE} under DB load)`,
  async run(context): Promise<Measurement[]> {
    const options = bracketOptions(context.log);
    const redisUrl = process.env.REDIS__URL ?? 'redis://127.0.0.1:6379';
    context.log(`  seeding up to ${AGENTS} agents...`);
    await ensureSeedAgents(context.databaseUrl, AGENTS, context.log);
    await deleteKeysWithPrefix(redisUrl, PREFIX);
    const pinning = pinCores();
    const servers: ServerProcess[] = [];
    try {
      context.log(`  booting R and the app; ${pinning.describe}`);
      const spawn = { prefix: pinning.serverPrefix };
      const appEnv = (prefix: string, extra: Record<string, string> = {}) => ({
        REDIS__URL: redisUrl,
        REDIS__KEY_PREFIX: prefix,
        // The defaults users get: the bench's own env (silent logs, raised timeouts) is
        // dropped. The rate limiter keeps the bench's unreachable limit (see prepareBenchEnv).
        LOG_LEVEL: undefined,
        CACHING__REDIS_TIMEOUT_MS: process.env.BENCH_CACHING_REDIS_TIMEOUT_MS,
        CACHING__L1_MAX_MB: undefined,
        MONITORING__ENABLED: undefined,
        ...extra,
      });
      const ready = { ...spawn, readyPath: '/health/startup' };
      const [r, app, logged] = await Promise.all([
        startServerProcess('R', SERVER_ENTRIES.bare, {}, spawn),
        startServerProcess('app', SERVER_ENTRIES.app, appEnv(PREFIX), ready),
        // What the default's unlogged public edge hits save: the same app logging every hit.
        startServerProcess(
          'app, every hit logged',
          SERVER_ENTRIES.app,
          appEnv(`${PREFIX}_logged`, { LOGGING__PUBLIC_EDGE_HITS: 'true' }),
          ready,
        ),
      ]);
      servers.push(r, app, logged);
      for (const server of [app, logged]) {
        await expectXCache(server, CACHED, 'MISS');
        await new Promise((resolve) => setTimeout(resolve, 200));
        await expectXCache(server, CACHED, 'HIT');
      }
      const reference: BracketTarget = { label: REFERENCE, server: r, path: '/raw' };
      const cachedTarget = (label: string, server: ServerProcess): BracketTarget => ({
        label,
        server,
        path: CACHED,
        handlerCalls: async () => (await cacheStats(server)).loader_calls,
        explain: () => cacheStats(server),
      });
      const targets: BracketTarget[] = [
        cachedTarget(`app ${CACHED} (cached, public)`, app),
        { label: `app ${DB_PAGE} (uncached, PostgreSQL)`, server: app, path: DB_PAGE },
        cachedTarget(`app ${CACHED} (cached, public, LOGGING__PUBLIC_EDGE_HITS=true)`, logged),
      ];
      const series = await measureInBrackets(reference, targets, options);
      const timeout = process.env.BENCH_CACHING_REDIS_TIMEOUT_MS ?? '50 (the default)';
      const shape: BracketShape = {
        reference: REFERENCE,
        notes: `${describeLoad(options, pinning.describe)}; app defaults (LOG_LEVEL info to /dev/null, anonymous edge hits counted in metrics and not logged, CACHING__REDIS_TIMEOUT_MS ${timeout}, RATE_LIMIT__MAX 100000000 so one client is never refused), compiled with tsc (dist-bench/); every response a 2xx, every body byte-identical to the route's first in checked runs before and after the rounds, cache loader calls unchanged on the cached route`,
      };
      context.log(`  ${LIVE} beside ${DB_PAGE} at 50 connections, ${options.duration} s...`);
      const live = await liveBesideDbLoad(app, options.duration, shape);
      return [...bracketMeasurements(series, shape), live, peakRssMeasurement(app, r, shape)];
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
      pinning.restore();
      const deleted = await deleteKeysWithPrefix(redisUrl, PREFIX);
      context.log(`  deleted ${deleted} Redis keys under ${PREFIX}*`);
    }
  },
};
