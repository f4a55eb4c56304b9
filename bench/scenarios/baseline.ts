import { SERVER_ENTRIES } from '../fixtures/entries';
import {
  expectHitSources,
  expectXCache,
  fillAndExpectHit,
  fixtureCalls,
} from '../fixtures/caching/hit-checks';
import { PAGE_BYTES } from '../fixtures/caching/page';
import { deleteKeysWithPrefix } from '../fixtures/caching/redis-keys';
import { bearerFor } from '../lib/bearer';
import { bracketOptions, describeLoad } from '../lib/bracket-env';
import {
  bracketMeasurements,
  peakRssMeasurement,
  relativeMeasurement,
} from '../lib/bracket-report';
import { BracketTarget, currentBody, measureInBrackets } from '../lib/brackets';
import { BENCH_USER_ID } from '../lib/bench-database';
import { pinCores } from '../lib/cpu-pinning';
import type { Measurement, Scenario } from '../lib/scenario';
import { ServerProcess, startServerProcess } from '../lib/server-process';

/** Every Redis key of this scenario starts with it; they are deleted before and after. */
const PREFIX = 'agentic_bench_baseline';
const REFERENCE = 'R (bare Nest + Fastify)';
/**
 * Unset: the default users get (50 ms). A busy box can stall a server past it, the hit turns into
 * a handler run and the scenario fails; `BENCH_CACHING_REDIS_TIMEOUT_MS` raises it, and every
 * row's notes then say so.
 */
const REDIS_TIMEOUT_MS = process.env.BENCH_CACHING_REDIS_TIMEOUT_MS;

/** Throws unless every target's body is byte-identical to R's (same page, same bytes). */
async function expectSameBodies(reference: BracketTarget, targets: BracketTarget[]) {
  const expected = await currentBody(reference);
  for (const target of targets) {
    if ((await currentBody(target)) !== expected) {
      throw new Error(`${target.label}: body differs from ${reference.label}'s`);
    }
  }
}

/**
 * Cache hits of the caching fixture against the bare baseline R (its own process: one Nest +
 * Fastify route, no guard, no global interceptor, no logging), every config with the defaults
 * users get (CACHING__REDIS_TIMEOUT_MS 50 ms): Redis hit and L1 hit on the fast path, the stock
 * `@nestjs/cache-manager` interceptor on the same Redis, and Redis and L1 hits of a per-user
 * route called with an `Authorization` header. Fixture A has L1 off, B the default L1.
 */
export const scenario: Scenario = {
  name: 'baseline',
  description: 'cache hits vs the bare baseline R in R-X-R brackets (defaults, pinned cores)',
  async run(context): Promise<Measurement[]> {
    const options = bracketOptions(context.log);
    const redisUrl = process.env.REDIS__URL ?? 'redis://127.0.0.1:6379';
    const env = {
      REDIS__URL: redisUrl,
      REDIS__KEY_PREFIX: PREFIX,
      // The defaults users get, whatever the calling shell set (see REDIS_TIMEOUT_MS).
      CACHING__REDIS_TIMEOUT_MS: REDIS_TIMEOUT_MS,
      CACHING__L1_MAX_MB: undefined,
    };
    await deleteKeysWithPrefix(redisUrl, PREFIX);
    const pinning = pinCores();
    const servers: ServerProcess[] = [];
    try {
      context.log(`  booting R and fixtures A (L1 off), B (L1 on); ${pinning.describe}`);
      const spawn = (label: string, entry: string, extra: Record<string, string> = {}) =>
        startServerProcess(label, entry, { ...env, ...extra }, { prefix: pinning.serverPrefix });
      const [r, a, b] = await Promise.all([
        spawn('R', SERVER_ENTRIES.bare),
        spawn('fixture A (L1 off)', SERVER_ENTRIES.caching, { CACHING__L1_MAX_MB: '0' }),
        spawn('fixture B (L1 on)', SERVER_ENTRIES.caching),
      ]);
      servers.push(r, a, b);
      const auth = { authorization: bearerFor(BENCH_USER_ID) };
      await fillAndExpectHit(a, '/ours');
      await fillAndExpectHit(a, '/stock');
      await fillAndExpectHit(a, '/mine', auth);
      for (const path of ['/ours', '/mine']) {
        const headers = path === '/mine' ? auth : undefined;
        await expectXCache(b, path, 'HIT', headers);
        await expectXCache(b, path, 'HIT', headers);
      }
      const reference: BracketTarget = { label: REFERENCE, server: r, path: '/raw' };
      const hit = (label: string, server: ServerProcess, path: string, counter: string) => ({
        label,
        server,
        path,
        handlerCalls: fixtureCalls(server, counter),
        explain: () => server.get('/bench/stats'),
        ...(path === '/mine' ? { headers: auth } : {}),
      });
      const targets: BracketTarget[] = [
        hit('Redis hit (fast path)', a, '/ours', 'ours'),
        hit('L1 hit (fast path)', b, '/ours', 'ours'),
        hit('stock CacheInterceptor hit', a, '/stock', 'stock'),
        hit('Redis hit with Authorization (user scope)', a, '/mine', 'mine'),
        hit('L1 hit with Authorization (user scope)', b, '/mine', 'mine'),
      ];
      await expectSameBodies(reference, targets);
      const series = await measureInBrackets(reference, targets, options);
      await expectHitSources(a, b);
      const shape = {
        reference: REFERENCE,
        notes: `${PAGE_BYTES}-byte JSON page; ${describeLoad(options, pinning.describe)}; caching settings default (gzip above 1 KiB) with CACHING__REDIS_TIMEOUT_MS ${REDIS_TIMEOUT_MS ?? '50 (the default)'}; every response a 2xx, every body byte-identical to R's in checked runs before and after the rounds, handler counters unchanged`,
      };
      return [
        ...bracketMeasurements(series, shape),
        relativeMeasurement(series[0], series[2], shape),
        // Issue 14's line for credentials: the user-scoped Redis hit against the stock interceptor.
        relativeMeasurement(series[3], series[2], shape),
        peakRssMeasurement(a, r, shape),
        peakRssMeasurement(b, r, shape),
      ];
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
      pinning.restore();
      const deleted = await deleteKeysWithPrefix(redisUrl, PREFIX);
      context.log(`  deleted ${deleted} Redis keys under ${PREFIX}*`);
    }
  },
};
