import {
  deferred,
  httpError,
  makeBreaker,
  settle,
} from '../../../test/fixtures/resilience/breakers';
import { BulkheadRejectedError } from '../errors/bulkhead-rejected.error';
import { CircuitBreakerOpenError } from '../errors/circuit-breaker-open.error';
import { ResilientBreaker } from './resilient-breaker';
import { nextRetryDelay } from './retry';

describe(nextRetryDelay.name, () => {
  it('should stay between the base and three times the previous delay, capped', () => {
    for (let i = 0; i < 1000; i++) {
      const previous = 10 + ((i * 37) % 500);
      const delay = nextRetryDelay(previous, 10, 1000);
      expect(delay).toBeGreaterThanOrEqual(10);
      expect(delay).toBeLessThanOrEqual(Math.min(1000, previous * 3));
    }
    expect(nextRetryDelay(100, 10, 1000, () => 1)).toBe(300);
    expect(nextRetryDelay(100, 10, 50, () => 1)).toBe(50);
    expect(nextRetryDelay(100, 10, 1000, () => 0)).toBe(10);
  });
});

describe(`${ResilientBreaker.name} retries`, () => {
  const breakers: ResilientBreaker[] = [];
  const track = (breaker: ResilientBreaker) => (breakers.push(breaker), breaker);

  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    breakers.splice(0).forEach((breaker) => breaker.shutdown());
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('should retry a dependency failure with decorrelated jitter until it succeeds', async () => {
    const breaker = track(
      makeBreaker({
        retries: 3,
        retryBaseDelayMs: 10,
        callTimeoutMs: 10_000,
        failureThreshold: 10,
      }),
    );
    const startedAt: number[] = [];
    const action = jest.fn(() => {
      startedAt.push(Date.now());
      return startedAt.length < 3 ? Promise.reject(httpError(503)) : Promise.resolve('ok');
    });
    const t0 = Date.now();

    const call = breaker.execute(action);
    await jest.advanceTimersByTimeAsync(10_000);

    await expect(call).resolves.toBe('ok');
    expect(action).toHaveBeenCalledTimes(3);
    const gaps = startedAt.map((at, i) => at - (i === 0 ? t0 : startedAt[i - 1]));
    expect(gaps[0]).toBe(0);
    expect(gaps[1]).toBeGreaterThanOrEqual(10);
    expect(gaps[2]).toBeGreaterThanOrEqual(10);
  });

  it('should never retry a 4xx-like error', async () => {
    const breaker = track(makeBreaker({ retries: 5, retryBaseDelayMs: 1 }));
    const action = jest.fn(() => Promise.reject(httpError(422)));

    await expect(breaker.execute(action)).rejects.toMatchObject({ status: 422 });

    expect(action).toHaveBeenCalledTimes(1);
  });

  it('should never retry an open circuit', async () => {
    const breaker = track(makeBreaker({ retries: 5, retryBaseDelayMs: 1 }));
    breaker.forceOpen();
    const action = jest.fn(() => Promise.resolve('ok'));

    await expect(breaker.execute(action)).rejects.toBeInstanceOf(CircuitBreakerOpenError);

    expect(action).not.toHaveBeenCalled();
    expect(breaker.counts.rejected_open).toBe(1);
  });

  it('should stop retrying when its own failures open the circuit', async () => {
    const breaker = track(
      makeBreaker({ retries: 5, retryBaseDelayMs: 1, failureThreshold: 2, callTimeoutMs: 10_000 }),
    );
    const action = jest.fn(() => Promise.reject(httpError(500)));

    const call = settle(breaker.execute(action));
    await jest.advanceTimersByTimeAsync(1000);

    expect((await call).error).toBeInstanceOf(CircuitBreakerOpenError);
    expect(action).toHaveBeenCalledTimes(2);
    expect(breaker.counts.rejected_open).toBe(1);
  });

  it('should never retry a bulkhead rejection', async () => {
    const breaker = track(makeBreaker({ retries: 5, retryBaseDelayMs: 1, maxConcurrent: 1 }));
    const gate = deferred<string>();
    const holder = breaker.execute(() => gate.promise);
    const action = jest.fn(() => Promise.resolve('ok'));

    await expect(breaker.execute(action)).rejects.toBeInstanceOf(BulkheadRejectedError);

    expect(action).not.toHaveBeenCalled();
    expect(breaker.counts.rejected_bulkhead).toBe(1);
    gate.resolve('done');
    await holder;
  });

  it.each([0, 0.5, 1])('should never sleep past the deadline (random %p)', async (random) => {
    jest.spyOn(Math, 'random').mockReturnValue(random);
    const breaker = track(
      makeBreaker({
        retries: 10,
        retryBaseDelayMs: 40,
        callTimeoutMs: 300,
        failureThreshold: 100,
      }),
    );
    const startedAt: number[] = [];
    // Each attempt takes 25 ms before failing.
    const action = jest.fn(() => {
      startedAt.push(Date.now());
      return new Promise<never>((_, reject) => setTimeout(() => reject(httpError(503)), 25));
    });
    const t0 = Date.now();
    let settledAt = 0;

    const call = settle(breaker.execute(action)).finally(() => (settledAt = Date.now()));
    await jest.advanceTimersByTimeAsync(1000);
    const { error } = await call;

    expect(error).toMatchObject({ status: 503 });
    expect(settledAt - t0).toBeLessThanOrEqual(300);
    expect(startedAt.every((at) => at - t0 < 300)).toBe(true);
    expect(action.mock.calls.length).toBeGreaterThan(1);
    expect(action.mock.calls.length).toBeLessThanOrEqual(11);
  });

  it('should not retry after a call timeout used up the deadline', async () => {
    const breaker = track(
      makeBreaker({ retries: 5, retryBaseDelayMs: 1, callTimeoutMs: 100, failureThreshold: 100 }),
    );
    const action = jest.fn(() => new Promise<never>(() => undefined));

    const call = settle(breaker.execute(action));
    await jest.advanceTimersByTimeAsync(100);

    expect((await call).error).toMatchObject({ kind: 'call-timeout' });
    expect(action).toHaveBeenCalledTimes(1);
  });
});
