import {
  deferred,
  httpError,
  makeBreaker,
  settle,
} from '../../../test/fixtures/resilience/breakers';
import { CircuitBreakerOpenError } from '../errors/circuit-breaker-open.error';
import { ResilientBreaker } from './resilient-breaker';

const failing = () => Promise.reject(new Error('upstream down'));
const healthy = () => Promise.resolve('ok');

/** Runs `count` failing calls one after the other. */
async function failTimes(breaker: ResilientBreaker, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await expect(breaker.execute(failing)).rejects.toThrow('upstream down');
  }
}

describe(ResilientBreaker.name, () => {
  const breakers: ResilientBreaker[] = [];
  const track = (breaker: ResilientBreaker) => (breakers.push(breaker), breaker);

  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    breakers.splice(0).forEach((breaker) => breaker.shutdown());
    jest.useRealTimers();
  });

  it('should open on exactly the 3rd consecutive failure', async () => {
    const breaker = track(makeBreaker({ failureThreshold: 3 }));

    await failTimes(breaker, 2);
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);

    expect(breaker.state).toBe('open');
    const action = jest.fn(healthy);
    await expect(breaker.execute(action)).rejects.toBeInstanceOf(CircuitBreakerOpenError);
    expect(action).not.toHaveBeenCalled();
  });

  it('should count consecutive failures only: a success in between starts the count again', async () => {
    const breaker = track(makeBreaker({ failureThreshold: 3 }));

    await failTimes(breaker, 2);
    await breaker.execute(healthy);
    await failTimes(breaker, 2);

    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
  });

  it('should never count 4xx-like errors as failures', async () => {
    const breaker = track(makeBreaker({ failureThreshold: 2 }));

    for (let i = 0; i < 10; i++) {
      await expect(breaker.execute(() => Promise.reject(httpError(404)))).rejects.toMatchObject({
        status: 404,
      });
    }

    expect(breaker.state).toBe('closed');
    expect(breaker.counts).toMatchObject({ ignored_error: 10, failure: 0 });
    // 408 and 429 are the dependency's trouble, not the caller's.
    await expect(breaker.execute(() => Promise.reject(httpError(429)))).rejects.toThrow();
    await expect(breaker.execute(() => Promise.reject(httpError(503)))).rejects.toThrow();
    expect(breaker.state).toBe('open');
  });

  it('should half-open at failure_timeout and not a moment before', async () => {
    const breaker = track(makeBreaker({ failureThreshold: 3, failureTimeoutMs: 30_000 }));
    await failTimes(breaker, 3);

    await jest.advanceTimersByTimeAsync(29_999);
    expect(breaker.state).toBe('open');
    expect(breaker.metrics().retry_after_ms).toBe(1);
    await jest.advanceTimersByTimeAsync(1);

    expect(breaker.state).toBe('half_open');
  });

  it.each([1, 3])(
    'should let exactly %i probe(s) of 1,000 concurrent callers reach the dependency in half-open',
    async (probes) => {
      const breaker = track(
        makeBreaker({ failureThreshold: 3, failureTimeoutMs: 1000, halfOpenProbes: probes }),
      );
      await failTimes(breaker, 3);
      await jest.advanceTimersByTimeAsync(1000);
      const upstream = deferred<string>();
      const reached = jest.fn(() => upstream.promise);

      const calls = Array.from({ length: 1000 }, () => settle(breaker.execute(reached)));
      await jest.advanceTimersByTimeAsync(0);
      upstream.resolve('ok');
      const results = await Promise.all(calls);

      expect(reached).toHaveBeenCalledTimes(probes);
      expect(results.filter((result) => result.value === 'ok')).toHaveLength(probes);
      const rejected = results.filter((result) => result.error instanceof CircuitBreakerOpenError);
      expect(rejected).toHaveLength(1000 - probes);
      expect(breaker.state).toBe('closed');
      expect(breaker.counts.rejected_open).toBe(1000 - probes);
      expect(breaker.counts.failure).toBe(3);
    },
  );

  it('should re-open when one of the probes fails, and half-open again after failure_timeout', async () => {
    const breaker = track(
      makeBreaker({ failureThreshold: 3, failureTimeoutMs: 1000, halfOpenProbes: 2 }),
    );
    await failTimes(breaker, 3);
    await jest.advanceTimersByTimeAsync(1000);

    const first = settle(breaker.execute(healthy));
    const second = settle(breaker.execute(failing));
    await Promise.all([first, second]);

    expect(breaker.state).toBe('open');
    await jest.advanceTimersByTimeAsync(1000);
    expect(breaker.state).toBe('half_open');
    await breaker.execute(healthy);
    expect(breaker.state).toBe('half_open');
    await breaker.execute(healthy);
    expect(breaker.state).toBe('closed');
  });

  it('should not close on probe successes left over from an earlier half-open round', async () => {
    const breaker = track(
      makeBreaker({
        failureThreshold: 1,
        failureTimeoutMs: 1000,
        halfOpenProbes: 2,
        callTimeoutMs: 10_000,
      }),
    );
    await failTimes(breaker, 1);
    await jest.advanceTimersByTimeAsync(1000);
    const slowProbe = deferred<string>();
    const stale = settle(breaker.execute(() => slowProbe.promise));
    await expect(breaker.execute(failing)).rejects.toThrow('upstream down');
    await jest.advanceTimersByTimeAsync(1000);
    expect(breaker.state).toBe('half_open');

    slowProbe.resolve('late');
    await stale;
    await breaker.execute(healthy);

    // One probe of this round succeeded, the stale one belongs to the previous round.
    expect(breaker.state).toBe('half_open');
    await breaker.execute(healthy);
    expect(breaker.state).toBe('closed');
  });

  it('should reject every call while forced open, pass every call while disabled, and reset', async () => {
    const breaker = track(makeBreaker({ failureThreshold: 1, failureTimeoutMs: 5000 }));
    const action = jest.fn(healthy);

    breaker.forceOpen();
    await expect(breaker.execute(action)).rejects.toMatchObject({
      breaker: 'dependency',
      retryAfterMs: 5000,
    });
    expect(action).not.toHaveBeenCalled();

    breaker.disable();
    await failTimes(breaker, 5);
    expect(breaker.state).toBe('disabled');
    await expect(breaker.execute(action)).resolves.toBe('ok');

    breaker.reset();
    expect(breaker.state).toBe('closed');
    await failTimes(breaker, 1);
    expect(breaker.state).toBe('open');
    breaker.reset();
    expect(breaker.state).toBe('closed');
  });

  it('should report metrics with state, counts and the failure rate of the window', async () => {
    const breaker = track(makeBreaker({ failureThreshold: 10 }));
    await breaker.execute(healthy);
    await failTimes(breaker, 1);

    expect(breaker.metrics()).toMatchObject({
      name: 'dependency',
      state: 'closed',
      consecutive_failures: 1,
      in_flight: 0,
      calls: { success: 1, failure: 1 },
      window: { successes: 1, failures: 1 },
      failure_rate: 50,
      latency_ms: { count: 2 },
      config: { failure_threshold: 10 },
    });
  });

  it('should open on the optional rate rule once the minimum calls are reached', async () => {
    const breaker = track(
      makeBreaker({
        failureThreshold: 1000,
        rate: { errorPercentage: 50, minimumCalls: 10, windowMs: 10_000 },
      }),
    );
    for (let i = 0; i < 4; i++) {
      await breaker.execute(healthy);
    }
    await failTimes(breaker, 5);
    expect(breaker.state).toBe('closed');

    await failTimes(breaker, 1);

    expect(breaker.state).toBe('open');
  });
});
