import { AppProcess, spawnBenchApp } from '../lib/app-process';
import { loadInRounds, medianRoundRatio, type RoundsResult } from '../lib/load-rounds';
import type { BenchContext, Measurement, Scenario } from '../lib/scenario';

/** A/B rounds; the median is reported. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
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

/** One A/B measurement with the two processes spawned in the given order. */
async function measure(
  context: BenchContext,
  onFirst: boolean,
): Promise<{ limited: RoundsResult; raw: RoundsResult; ratio: number }> {
  const apps: AppProcess[] = [];
  try {
    // Each instance in its own process, so neither shares an event loop or JIT state.
    const spawnOn = () =>
      spawnBenchApp({ RATE_LIMIT__ENABLED: 'true', RATE_LIMIT__MAX: '100000000' });
    const spawnOff = () => spawnBenchApp({ RATE_LIMIT__ENABLED: 'false' });
    const first = await (onFirst ? spawnOn() : spawnOff());
    apps.push(first);
    const second = await (onFirst ? spawnOff() : spawnOn());
    apps.push(second);
    const [on, off] = onFirst ? [first, second] : [second, first];
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
        onRun: (target, round) =>
          context.log(
            `  ${onFirst ? 'on' : 'off'} spawned first, round ${round + 1}: ${target.label}`,
          ),
      },
    );
    return { limited, raw, ratio: medianRoundRatio(limited, raw) };
  } finally {
    await Promise.all(apps.map((app) => app.close()));
  }
}

/**
 * The limiter's own cost: req/s of a cached route (fast-path hits) on an instance with the
 * limiter on (a limit the load never reaches, so every request is counted, synced to Redis and
 * gets its RateLimit headers) against one with `RATE_LIMIT__ENABLED=false`, in alternating rounds.
 * Twice, with the processes spawned in both orders: an A/A run (the limiter off in both) read
 * 0.87x for the first-spawned process, a bias as large as the effect, which the geometric mean of
 * the two orders cancels.
 */
export const scenario: Scenario = {
  name: 'rate-limit',
  description: `limiter on vs off on a cached route (${ROUTE}, fast-path hits; both spawn orders x ${ROUNDS} A/B rounds of ${DURATION} s, ${CONNECTIONS} connections)`,
  async run(context): Promise<Measurement[]> {
    const onFirst = await measure(context, true);
    const offFirst = await measure(context, false);
    const ratio = Math.sqrt(onFirst.ratio * offFirst.ratio);
    const rows = (label: string, run: typeof onFirst) =>
      `${label}: ${Math.round(run.limited.requestsPerSecond)} vs ${Math.round(run.raw.requestsPerSecond)} req/s (per-round median ratio ${run.ratio.toFixed(2)})`;
    return [
      {
        metric: `rate-limit-overhead ${ROUTE} req/s ratio`,
        value: Number(ratio.toFixed(3)),
        unit: 'x',
        baseline: 'limiter off (RATE_LIMIT__ENABLED=false), same run',
        baselineValue: 1,
        better: 'higher',
        notes: `two app processes, fast-path cache hits; geometric mean of both spawn orders: the limiter costs ${((1 - ratio) * 100).toFixed(1)}% of req/s (goal <= ${GOAL * 100}%). ${rows('on spawned first', onFirst)}; ${rows('off spawned first', offFirst)}`,
      },
    ];
  },
};
