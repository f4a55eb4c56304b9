import { AppProcess, spawnBenchApp } from '../lib/app-process';
import { compareLoads, loadInRounds, medianRoundRatio } from '../lib/load-rounds';
import type { Measurement, Scenario } from '../lib/scenario';

/** A/B rounds; the median is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DURATION = Number(process.env.BENCH_DURATION ?? 4);
const CONNECTIONS = 50;
/** A cached public list: its hits are answered by the cache's fast path (the cheapest route). */
const ROUTE = '/templates';
/** The goal: the limiter costs at most this share of the raw req/s of a cached route. */
const GOAL = 0.05;

/** Fills the cache and checks the route is a hit, limited or not as expected. */
async function expectHit(app: AppProcess, limited: boolean): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const response = await fetch(`${app.baseUrl}${ROUTE}`);
    await response.arrayBuffer();
    if (i === 1) {
      const xCache = response.headers.get('x-cache');
      const hasLimit = response.headers.has('ratelimit-limit');
      if (response.status !== 200 || xCache !== 'HIT' || hasLimit !== limited) {
        throw new Error(
          `${app.baseUrl}${ROUTE}: ${response.status}, X-Cache ${xCache}, RateLimit-Limit ${hasLimit ? 'present' : 'absent'}; expected 200 HIT, ${limited ? 'present' : 'absent'}`,
        );
      }
    }
  }
}

/**
 * The limiter's own cost: req/s of a cached route (fast-path hits) on an instance with the
 * limiter on (a limit the load never reaches, so every request is counted, synced to Redis and
 * gets its RateLimit headers) against one with `RATE_LIMIT__ENABLED=false`, in alternating rounds.
 */
export const scenario: Scenario = {
  name: 'rate-limit',
  description: `limiter on vs off on a cached route (${ROUTE}, fast-path hits; ${ROUNDS} A/B rounds of ${DURATION} s, ${CONNECTIONS} connections)`,
  async run(context): Promise<Measurement[]> {
    const apps: AppProcess[] = [];
    try {
      // Each instance in its own process, so neither shares an event loop or JIT state.
      const on = await spawnBenchApp({
        RATE_LIMIT__ENABLED: 'true',
        RATE_LIMIT__MAX: '100000000',
      });
      apps.push(on);
      const off = await spawnBenchApp({ RATE_LIMIT__ENABLED: 'false' });
      apps.push(off);
      await expectHit(on, true);
      await expectHit(off, false);
      const [limited, raw] = await loadInRounds(
        [
          { label: `${ROUTE} rate limit on`, url: `${on.baseUrl}${ROUTE}` },
          { label: `${ROUTE} RATE_LIMIT__ENABLED=false`, url: `${off.baseUrl}${ROUTE}` },
        ],
        {
          rounds: ROUNDS,
          duration: DURATION,
          connections: CONNECTIONS,
          warmup: 2,
          onRun: (target, round) => context.log(`  round ${round + 1}: ${target.label}`),
        },
      );
      const ratio = medianRoundRatio(limited, raw);
      return compareLoads(
        `rate-limit-overhead ${ROUTE}`,
        limited,
        raw,
        `two app processes, fast-path cache hits; the limiter costs ${((1 - ratio) * 100).toFixed(1)}% of req/s (goal <= ${GOAL * 100}%)`,
      );
    } finally {
      await Promise.all(apps.map((app) => app.close()));
    }
  },
};
