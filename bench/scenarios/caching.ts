import { join } from 'node:path';
import { deleteKeysWithPrefix } from '../fixtures/caching/redis-keys';
import { cachingMeasurements } from '../fixtures/caching/report';
import { measureInRotatedRounds, Target } from '../fixtures/caching/rotated-rounds';
import { FixtureServer, startFixtureServer } from '../fixtures/caching/server-process';
import { stampede, StampedeResult } from '../fixtures/caching/stampede';
import type { BenchContext, Measurement, Scenario } from '../lib/scenario';

/** Every Redis key of this scenario starts with it; they are deleted before and after. */
const PREFIX = 'agentic_bench_caching';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 50;
const WARMUP = 3;
const STAMPEDE_REQUESTS = 200;
const REDIS_TIMEOUT_MS = '1000';
const STAMPEDE_REPS = 3;
/** When set, both fixture servers write V8 CPU profiles (`.cpuprofile`) to this directory. */
const CPU_PROFILE_DIR = process.env.BENCH_CACHING_CPU_PROF;

async function expectHeader(server: FixtureServer, path: string, expected: string): Promise<void> {
  const response = await fetch(`${server.baseUrl}${path}`);
  await response.arrayBuffer();
  const xCache = response.headers.get('x-cache');
  if (response.status !== 200 || xCache !== expected) {
    throw new Error(
      `${server.label} ${path}: ${response.status} X-Cache ${xCache}; expected ${expected}`,
    );
  }
}

/** Fills the cached routes and checks the next request of each is a hit. */
async function warmCaches(redisOnly: FixtureServer, withL1: FixtureServer): Promise<void> {
  await expectHeader(redisOnly, '/ours', 'MISS');
  // The cache writes Redis after answering: give the write a moment before expecting a hit.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await expectHeader(redisOnly, '/ours', 'HIT');
  await expectHeader(redisOnly, '/stock', 'MISS');
  await expectHeader(redisOnly, '/stock', 'HIT');
  // The entry is in Redis already: the L1 instance's first request is a Redis hit.
  await expectHeader(withL1, '/ours', 'HIT');
  await expectHeader(withL1, '/ours', 'HIT');
}

/** Checks where the hits came from: Redis only on the L1-less server, L1 on the other. */
async function expectHitSources(redisOnly: FixtureServer, withL1: FixtureServer): Promise<void> {
  type Stats = { l1_hits: number; l2_hits: number };
  const a = await redisOnly.get<Stats>('/bench/stats');
  const b = await withL1.get<Stats>('/bench/stats');
  if (a.l1_hits !== 0 || a.l2_hits === 0 || b.l1_hits < 100 * b.l2_hits) {
    throw new Error(
      `hit sources: L1 off ${JSON.stringify(a)}, L1 on ${JSON.stringify(b)}; expected Redis-only and L1 hits`,
    );
  }
}

async function stampedes(
  context: BenchContext,
  ours: FixtureServer,
  stock: FixtureServer,
): Promise<{ ours: StampedeResult[]; stock: StampedeResult[] }> {
  const results = { ours: [] as StampedeResult[], stock: [] as StampedeResult[] };
  for (let rep = 0; rep < STAMPEDE_REPS; rep++) {
    results.ours.push(await stampede(ours, '/ours/slow', 'ours-slow', STAMPEDE_REQUESTS));
    results.stock.push(await stampede(stock, '/stock/slow', 'stock-slow', STAMPEDE_REQUESTS));
  }
  context.log(
    `  stampede handler calls: ours ${results.ours.map((r) => r.handlerCalls).join('/')}, stock ${results.stock.map((r) => r.handlerCalls).join('/')}`,
  );
  return results;
}

/**
 * Response-cache hits against the same body served uncached ("raw"): our interceptor reading
 * Redis on every hit (L1 off), our L1 hit, and the stock `@nestjs/cache-manager` interceptor on
 * the same Redis; plus a 200-request stampede on a cold key. Two fixture servers (child
 * processes): A with `CACHING__L1_MAX_MB=0` (raw, ours, stock), B with the default L1 (raw, ours).
 */
export const scenario: Scenario = {
  name: 'caching',
  description: `cache hits vs raw (${CONNECTIONS} connections, ${ROUNDS} rotated rounds of ${DURATION} s): Redis hit, L1 hit, stock CacheInterceptor; ${STAMPEDE_REQUESTS}-request stampede`,
  async run(context): Promise<Measurement[]> {
    const redisUrl = process.env.REDIS__URL ?? 'redis://127.0.0.1:6379';
    const env = {
      REDIS__URL: redisUrl,
      REDIS__KEY_PREFIX: PREFIX,
      LOG_LEVEL: 'silent',
      // On a busy shared box the default 50 ms budget trips on scheduler stalls (Redis and the
      // server waiting for a core), the breaker opens and hits turn into handler runs: the bench
      // measures the hit path; the timeout and breaker have their own tests.
      CACHING__REDIS_TIMEOUT_MS: REDIS_TIMEOUT_MS,
    };
    const profile = (name: string) =>
      CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROFILE_DIR, name)}`] : [];
    await deleteKeysWithPrefix(redisUrl, PREFIX);
    const servers: FixtureServer[] = [];
    try {
      context.log('  booting fixture servers...');
      const [a, b] = await Promise.all([
        startFixtureServer('A (L1 off)', { ...env, CACHING__L1_MAX_MB: '0' }, profile('l1-off')),
        startFixtureServer('B (L1 on)', env, profile('l1-on')),
      ]);
      servers.push(a, b);
      await warmCaches(a, b);
      const targets: Target[] = [
        { label: 'raw (A)', server: a, path: '/raw' },
        { label: 'ours Redis hit (A)', server: a, path: '/ours', counter: 'ours' },
        { label: 'stock hit (A)', server: a, path: '/stock', counter: 'stock' },
        { label: 'raw (B)', server: b, path: '/raw' },
        { label: 'ours L1 hit (B)', server: b, path: '/ours', counter: 'ours' },
      ];
      const options = {
        rounds: ROUNDS,
        duration: DURATION,
        connections: CONNECTIONS,
        warmup: WARMUP,
        log: context.log,
      };
      const [rawA, redisHit, stockHit, rawB, l1Hit] = await measureInRotatedRounds(
        targets,
        options,
      );
      await expectHitSources(a, b);
      const stampeded = await stampedes(context, b, a);
      return cachingMeasurements({ rawA, redisHit, stockHit, rawB, l1Hit }, stampeded, options);
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
      const deleted = await deleteKeysWithPrefix(redisUrl, PREFIX);
      context.log(`  deleted ${deleted} Redis keys under ${PREFIX}*`);
    }
  },
};
