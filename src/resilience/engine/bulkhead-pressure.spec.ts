import { deferred, makeBreaker, settle } from '../../../test/fixtures/resilience/breakers';
import { BulkheadRejectedError } from '../errors/bulkhead-rejected.error';
import { CallTimeoutError } from '../errors/call-timeout.error';
import { ResilientBreaker } from './resilient-breaker';

/** A dependency that counts the work really running (whatever the callers gave up on). */
class SlowDependency {
  running = 0;
  peak = 0;
  calls = 0;

  /** Work that takes `ms` and ignores the abort signal (the worst case for a bulkhead). */
  work(ms: number): Promise<string> {
    this.calls++;
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    return new Promise((resolve) =>
      setTimeout(() => {
        this.running--;
        resolve('done');
      }, ms),
    );
  }
}

describe(`${ResilientBreaker.name} bulkhead`, () => {
  const breakers: ResilientBreaker[] = [];
  const track = (breaker: ResilientBreaker) => (breakers.push(breaker), breaker);

  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    breakers.splice(0).forEach((breaker) => breaker.shutdown());
    jest.useRealTimers();
  });

  it('should never open for a healthy but slow dependency under bulkhead pressure', async () => {
    const breaker = track(
      makeBreaker({ maxConcurrent: 5, failureThreshold: 3, callTimeoutMs: 1000 }),
    );
    const dependency = new SlowDependency();

    for (let round = 0; round < 10; round++) {
      const calls = Array.from({ length: 50 }, () =>
        settle(breaker.execute(() => dependency.work(200))),
      );
      await jest.advanceTimersByTimeAsync(200);
      const results = await Promise.all(calls);
      expect(results.filter((r) => r.value === 'done')).toHaveLength(5);
      expect(results.filter((r) => r.error instanceof BulkheadRejectedError)).toHaveLength(45);
    }

    expect(breaker.state).toBe('closed');
    expect(dependency.peak).toBe(5);
    expect(breaker.metrics()).toMatchObject({
      consecutive_failures: 0,
      calls: { success: 50, failure: 0, rejected_bulkhead: 450 },
      window: { failures: 0 },
    });
  });

  it('should not count callers that gave up in the queue as failures', async () => {
    const breaker = track(
      makeBreaker({ maxConcurrent: 2, maxQueue: 20, failureThreshold: 3, callTimeoutMs: 300 }),
    );
    const dependency = new SlowDependency();

    const calls = Array.from({ length: 22 }, () =>
      settle(breaker.execute(() => dependency.work(250))),
    );
    await jest.advanceTimersByTimeAsync(1000);
    const results = await Promise.all(calls);

    // Two run at once for 250 ms each: the first two finish, the next two start at 250 ms and
    // time out at 300 ms (dependency failures), the 18 others give up in the queue (not failures).
    expect(results.filter((r) => r.value === 'done')).toHaveLength(2);
    expect(results.filter((r) => r.error instanceof CallTimeoutError)).toHaveLength(2);
    expect(results.filter((r) => r.error instanceof BulkheadRejectedError)).toHaveLength(18);
    expect(dependency.peak).toBe(2);
    expect(breaker.state).toBe('closed');
    expect(breaker.metrics()).toMatchObject({
      consecutive_failures: 2,
      in_flight: 0,
      queued: 0,
      calls: { rejected_bulkhead: 18, timeout: 2 },
    });
  });

  it('should keep counting timed-out work against maxConcurrent until it really ends', async () => {
    const breaker = track(
      makeBreaker({ maxConcurrent: 3, failureThreshold: 1000, callTimeoutMs: 100 }),
    );
    const dependency = new SlowDependency();

    const first = Array.from({ length: 3 }, () =>
      settle(breaker.execute(() => dependency.work(1000))),
    );
    await jest.advanceTimersByTimeAsync(100);
    const timedOut = await Promise.all(first);
    expect(timedOut.every((r) => r.error instanceof CallTimeoutError)).toBe(true);
    expect(breaker.metrics()).toMatchObject({ in_flight: 3, abandoned_in_flight: 3 });

    // Callers are free, but the work still runs: new calls must not pile on top of it.
    const squeezed = await settle(breaker.execute(() => dependency.work(10)));
    expect(squeezed.error).toBeInstanceOf(BulkheadRejectedError);
    expect(dependency.peak).toBe(3);

    await jest.advanceTimersByTimeAsync(900);
    expect(breaker.metrics()).toMatchObject({ in_flight: 0, abandoned_in_flight: 0 });
    const after = settle(breaker.execute(() => dependency.work(10)));
    await jest.advanceTimersByTimeAsync(10);
    expect((await after).value).toBe('done');
    expect(dependency.peak).toBe(3);
  });

  it('should never run more than maxConcurrent while calls time out in waves', async () => {
    const breaker = track(
      makeBreaker({ maxConcurrent: 4, maxQueue: 8, failureThreshold: 1000, callTimeoutMs: 50 }),
    );
    const dependency = new SlowDependency();
    const calls: Array<Promise<unknown>> = [];

    for (let tick = 0; tick < 100; tick++) {
      for (let i = 0; i < 5; i++) {
        calls.push(settle(breaker.execute(() => dependency.work(20 + ((tick * 7 + i) % 80)))));
      }
      await jest.advanceTimersByTimeAsync(7);
      expect(dependency.running).toBeLessThanOrEqual(4);
    }
    await jest.advanceTimersByTimeAsync(1000);
    await Promise.all(calls);

    expect(dependency.peak).toBe(4);
    expect(dependency.running).toBe(0);
    expect(breaker.metrics()).toMatchObject({ in_flight: 0, queued: 0, abandoned_in_flight: 0 });
  });

  it('should free the slot of an action that throws synchronously', async () => {
    const breaker = track(makeBreaker({ maxConcurrent: 1, failureThreshold: 1000 }));
    const throwsAtOnce = (): Promise<never> => {
      throw new Error('sync boom');
    };

    for (let i = 0; i < 5; i++) {
      await expect(breaker.execute(throwsAtOnce)).rejects.toThrow('sync boom');
    }

    expect(breaker.metrics()).toMatchObject({ in_flight: 0, calls: { failure: 5 } });
    await expect(breaker.execute(() => Promise.resolve(1))).resolves.toBe(1);
  });

  it('should give a freed slot to the next caller in the queue', async () => {
    const breaker = track(makeBreaker({ maxConcurrent: 1, maxQueue: 1, callTimeoutMs: 1000 }));
    const gate = deferred<string>();
    const first = breaker.execute(() => gate.promise);
    const second = breaker.execute(() => Promise.resolve('second'));
    await expect(breaker.execute(() => Promise.resolve('third'))).rejects.toBeInstanceOf(
      BulkheadRejectedError,
    );
    expect(breaker.metrics()).toMatchObject({ in_flight: 1, queued: 1 });

    gate.resolve('first');

    await expect(first).resolves.toBe('first');
    await expect(second).resolves.toBe('second');
    expect(breaker.metrics()).toMatchObject({ in_flight: 0, queued: 0 });
  });
});
