import { join } from 'node:path';
import { SERVER_ENTRIES } from '../fixtures/entries';
import { expectHitSources, expectXCache, fillAndExpectHit } from '../fixtures/caching/hit-checks';
import { deleteKeysWithPrefix } from '../fixtures/caching/redis-keys';
import { cachingMeasurements } from '../fixtures/caching/report';
import { measureInRotatedRounds, Target } from '../fixtures/caching/rotated-rounds';
import { stampede, StampedeResult } from '../fixtures/caching/stampede';
import type { BenchContext, Measurement, Scenario } from '../lib/scenario';
import { ServerProcess, startServerProcess } from '../lib/server-process';

/** Every Redis key of this scenario starts with it; they are deleted before and after. */
const PREFIX = 'agentic_bench_caching';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 50;
const WARMUP = 3;
const STAMPEDE_REQUESTS = 200;
/**
 * The cache's Redis timeout: unset means the default users get (50 ms). On a busy shared box that
 * budget can trip on scheduler stalls, the breaker opens and hits turn into handler runs, which
 * fails the run loudly; raise it here to measure the hit path alone, and say so when quoting.
 */
const REDIS_TIMEOUT_MS = process.env.BENCH_CACHING_REDIS_TIMEOUT_MS;
const STAMPEDE_REPS = 3;
/** When set, both fixture servers write V8 CPU profiles (`.cpuprofile`) to this directory. */
const CPU_PROFILE_DIR = process.env.BENCH_CACHING_CPU_PROF;

async function stampedes(
  context: BenchContext,
  ours: ServerProcess,
  stock: ServerProcess,
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
      CACHING__REDIS_TIMEOUT_MS: REDIS_TIMEOUT_MS,
    };
    const profile = (name: string) =>
      CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${join(CPU_PROFILE_DIR, name)}`] : [];
    await deleteKeysWithPrefix(redisUrl, PREFIX);
    const servers: ServerProcess[] = [];
    try {
      context.log('  booting fixture servers...');
      const [a, b] = await Promise.all([
        startServerProcess(
          'A (L1 off)',
          SERVER_ENTRIES.caching,
          { ...env, CACHING__L1_MAX_MB: '0' },
          { nodeArgs: profile('l1-off') },
        ),
        startServerProcess('B (L1 on)', SERVER_ENTRIES.caching, env, {
          nodeArgs: profile('l1-on'),
        }),
      ]);
      servers.push(a, b);
      // Fill the cached routes and check the next request of each is a hit; the entry is in
      // Redis already, so the L1 instance's first request is a Redis hit.
      await fillAndExpectHit(a, '/ours');
      await fillAndExpectHit(a, '/stock');
      await expectXCache(b, '/ours', 'HIT');
      await expectXCache(b, '/ours', 'HIT');
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
      return cachingMeasurements({ rawA, redisHit, stockHit, rawB, l1Hit }, stampeded, {
        ...options,
        redisTimeoutMs: REDIS_TIMEOUT_MS ?? '50 (default)',
      });
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
      const deleted = await deleteKeysWithPrefix(redisUrl, PREFIX);
      context.log(`  deleted ${deleted} Redis keys under ${PREFIX}*`);
    }
  },
};
