import { performance } from 'node:perf_hooks';
import { hangUntilAborted, makeBreaker } from '../../../test/fixtures/resilience/breakers';
import { CallTimeoutError } from '../errors/call-timeout.error';
import { ResilientBreaker } from './resilient-breaker';

/** Real timers: the point is the wall time a caller waits. */
const TIMEOUT_MS = 10;
const CALLS = 1000;
/** Allowed lateness of the p99 caller on top of the deadline (the budget). */
const SLACK_MS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

describe(`${ResilientBreaker.name} deadline`, () => {
  it('should free 1,000 sequential callers of a hanging upstream within timeout + 5 ms (p99)', async () => {
    // A threshold above the call count keeps the breaker closed, so every call hits the upstream.
    const breaker = makeBreaker({ callTimeoutMs: TIMEOUT_MS, failureThreshold: 10 * CALLS });
    const freedMs: number[] = [];
    const bareTimerMs: number[] = [];
    const hangingSignals: AbortSignal[] = [];
    const healthySignals: AbortSignal[] = [];
    let startedAborted = 0;
    const note = (signal: AbortSignal, into: AbortSignal[]) => {
      startedAborted += signal.aborted ? 1 : 0;
      into.push(signal);
    };

    try {
      for (let i = 0; i < CALLS; i++) {
        const started = performance.now();
        // The same wait on a bare timer started alongside: how late this machine's timers fire now.
        const bare = sleep(TIMEOUT_MS).then(() => bareTimerMs.push(performance.now() - started));
        const error = await breaker
          .execute((signal) => (note(signal, hangingSignals), hangUntilAborted(signal)))
          .catch((e: unknown) => e);
        freedMs.push(performance.now() - started);
        await bare;
        expect(error).toBeInstanceOf(CallTimeoutError);
        // A healthy call right after each timeout: it must start with a live signal.
        await breaker.execute((signal) => (note(signal, healthySignals), Promise.resolve(i)));
      }
      // Outlive every healthy call's deadline: none of their timers may still abort them.
      await sleep(TIMEOUT_MS * 3);

      const p99 = percentile(freedMs, 99);
      const bareP99 = percentile(bareTimerMs, 99);
      const lateness = freedMs.map((ms, i) => ms - bareTimerMs[i]);
      process.stdout.write(
        `deadline: freed p50 ${percentile(freedMs, 50).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, ` +
          `max ${Math.max(...freedMs).toFixed(2)} ms; bare ${TIMEOUT_MS} ms timer p99 ` +
          `${bareP99.toFixed(2)} ms; breaker minus bare timer p99 ` +
          `${percentile(lateness, 99).toFixed(2)} ms\n`,
      );
      // timeout + 5 ms; on a loaded machine (CI) the timer itself fires late, and that lateness,
      // measured alongside, is the machine's, not the breaker's. Compared as distributions: a
      // per-call difference also counts the moments the OS takes the CPU away between the two
      // timers' callbacks (p99 4.5 ms with six test processes on two cores).
      expect(p99).toBeLessThanOrEqual(Math.max(TIMEOUT_MS, bareP99) + SLACK_MS);
      // Not freed before the deadline: the typical caller waited the whole timeout. Not a bound on
      // the fastest caller: a timer fires early against performance.now() by however stale the
      // loop's cached time was when it was armed (8.6 ms for 10 ms was seen in CI; -8 ms against a
      // bare timer armed alongside on a loaded machine).
      expect(percentile(freedMs, 50)).toBeGreaterThanOrEqual(TIMEOUT_MS - 1);
      expect(hangingSignals.every((signal) => signal.aborted)).toBe(true);
      expect(hangingSignals.every((signal) => signal.reason instanceof CallTimeoutError)).toBe(
        true,
      );
      expect(healthySignals.filter((signal) => signal.aborted)).toHaveLength(0);
      expect(startedAborted).toBe(0);
      expect(new Set(hangingSignals).size).toBe(CALLS);
      expect(breaker.metrics()).toMatchObject({
        in_flight: 0,
        abandoned_in_flight: 0,
        calls: { timeout: CALLS, success: CALLS },
      });
    } finally {
      breaker.shutdown();
    }
  });

  it('should free the caller at the deadline even when the work ignores the signal', async () => {
    const breaker = makeBreaker({ callTimeoutMs: 30, failureThreshold: 100 });
    let finishWork: () => void = () => undefined;
    const work = new Promise<void>((resolve) => (finishWork = resolve));

    try {
      const started = performance.now();
      await expect(breaker.execute(() => work)).rejects.toMatchObject({
        kind: 'call-timeout',
        breaker: 'dependency',
        timeoutMs: 30,
      });
      // Without the deadline the caller would wait until finishWork(): any bound far below that
      // proves the point, and a loaded CI machine needs the headroom.
      expect(performance.now() - started).toBeLessThan(30 + 200);
      expect(breaker.metrics()).toMatchObject({ in_flight: 1, abandoned_in_flight: 1 });

      finishWork();
      await work;
      await new Promise((resolve) => setImmediate(resolve));
      expect(breaker.metrics()).toMatchObject({ in_flight: 0, abandoned_in_flight: 0 });
    } finally {
      breaker.shutdown();
    }
  });
});
