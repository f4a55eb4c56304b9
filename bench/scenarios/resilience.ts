import { performance } from 'node:perf_hooks';
import type { Action } from '../../src/resilience';
import {
  DEFAULT_BREAKER_OPTIONS,
  ignoreClientErrors,
  ResilientBreaker,
} from '../../src/resilience';
import type { BenchContext, Measurement, Scenario } from '../lib/scenario';
import { median } from '../lib/timer';

/** Calls per timed batch (BENCH_RESILIENCE_CALLS overrides for quick runs). */
const CALLS = Number(process.env.BENCH_RESILIENCE_CALLS ?? 100_000);
/** Failing calls timed after the history is built. */
const FAILING_CALLS = Number(process.env.BENCH_RESILIENCE_FAILING_CALLS ?? 5_000);
/** Timed rounds per measurement; the median is reported. */
const ROUNDS = 5;

const FAILURE = Object.assign(new Error('upstream down'), { status: 503 });
const succeed: Action<number> = () => Promise.resolve(1);
const fail: Action<never> = () => Promise.reject(FAILURE);

/** A breaker that never opens, so every call takes the same path. */
const breakerFor = (name: string) =>
  new ResilientBreaker(
    name,
    { ...DEFAULT_BREAKER_OPTIONS, failureThreshold: Number.MAX_SAFE_INTEGER, maxConcurrent: 10 },
    ignoreClientErrors,
  );

/** Runs `fn` `calls` times in a row and returns ns per call. */
async function nsPerCall(calls: number, fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < calls; i++) {
    await fn();
  }
  return ((performance.now() - started) * 1e6) / calls;
}

/** Breaker overhead: `execute()` of a resolved action vs awaiting the same action directly. */
async function overhead(context: BenchContext): Promise<Measurement> {
  const breaker = breakerFor('bench_overhead');
  const signal = new AbortController().signal;
  const direct = () => succeed(signal);
  const through = () => breaker.execute(succeed);
  try {
    await nsPerCall(CALLS / 5, direct);
    await nsPerCall(CALLS / 5, through);
    const directNs: number[] = [];
    const breakerNs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      directNs.push(await nsPerCall(CALLS, direct));
      breakerNs.push(await nsPerCall(CALLS, through));
    }
    const value = median(breakerNs);
    const baselineValue = median(directNs);
    context.log(
      `  breaker ${value.toFixed(0)} ns/call, direct ${baselineValue.toFixed(0)} ns/call`,
    );
    return {
      metric: 'breaker call ns/call',
      value,
      unit: 'ns/call',
      baseline: 'direct await of the same action',
      baselineValue,
      better: 'lower',
      notes:
        `overhead ${(value - baselineValue).toFixed(0)} ns/call (x${(value / baselineValue).toFixed(1)}); ` +
        `median of ${ROUNDS} rounds of ${CALLS} sequential calls; includes the per-call ` +
        'AbortController, deadline timer, bulkhead slot and opossum fire()',
    };
  } finally {
    breaker.shutdown();
  }
}

/** Cost of a failing call after `history` earlier calls: must not grow with the history. */
async function failurePath(context: BenchContext): Promise<Measurement> {
  const small = breakerFor('bench_failure_1k');
  const large = breakerFor('bench_failure_20k');
  try {
    await nsPerCall(1_000, () =>
      small.execute(succeed).then(() => small.execute(fail).catch(() => 0)),
    );
    await nsPerCall(10_000, () =>
      large.execute(succeed).then(() => large.execute(fail).catch(() => 0)),
    );
    const failing = (breaker: ResilientBreaker) => () => breaker.execute(fail).catch(() => 0);
    const smallNs: number[] = [];
    const largeNs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      smallNs.push(await nsPerCall(FAILING_CALLS, failing(small)));
      largeNs.push(await nsPerCall(FAILING_CALLS, failing(large)));
    }
    const value = median(largeNs);
    const baselineValue = median(smallNs);
    context.log(
      `  failing call after 20k: ${value.toFixed(0)} ns, after 1k: ${baselineValue.toFixed(0)} ns`,
    );
    return {
      metric: 'failing call ns after 20k calls',
      value,
      unit: 'ns/call',
      baseline: 'failing call after 1k calls',
      baselineValue,
      better: 'lower',
      notes:
        `goal: within 2x (ratio >= 0.5); median of ${ROUNDS} rounds of ${FAILING_CALLS} failing ` +
        'calls; the history is half successes, half failures; the breaker stays closed',
    };
  } finally {
    small.shutdown();
    large.shutdown();
  }
}

/** `npm run bench -- resilience`: in-process, no app or database needed. */
export const scenario: Scenario = {
  name: 'resilience',
  description: 'circuit breaker overhead per call and failure-path cost vs history size',
  async run(context) {
    return [await overhead(context), await failurePath(context)];
  },
};
