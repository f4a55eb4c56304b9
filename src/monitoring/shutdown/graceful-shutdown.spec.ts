import { ShutdownState } from '../health/lifecycle-state';
import { GracefulShutdown, GracefulShutdownOptions } from './graceful-shutdown';

const silent = { log: jest.fn(), warn: jest.fn(), error: jest.fn() };

describe(GracefulShutdown.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup(overrides: Partial<GracefulShutdownOptions> = {}) {
    const steps: string[] = [];
    const state = new ShutdownState();
    const exit = jest.fn((code: number) => steps.push(`exit ${code}`));
    const shutdown = new GracefulShutdown({
      state,
      drainMs: 5000,
      timeoutMs: 10000,
      stopAccepting: () => {
        steps.push('stop accepting');
        return Promise.resolve(true);
      },
      close: () => {
        steps.push('close');
        return Promise.resolve();
      },
      exit,
      logger: silent,
      ...overrides,
    });
    return { steps, state, exit, shutdown };
  }

  it('should turn not-ready at once, drain, stop accepting, close, then exit 0', async () => {
    const { steps, state, shutdown } = setup();

    const done = shutdown.shutdown('SIGTERM');
    expect(state.shuttingDown).toBe(true);
    expect(state.closing).toBe(false);

    await jest.advanceTimersByTimeAsync(4999);
    expect(steps).toEqual([]);

    await jest.advanceTimersByTimeAsync(1);
    await done;
    expect(state.closing).toBe(true);
    expect(steps).toEqual(['stop accepting', 'close', 'exit 0']);
  });

  it('should let the loop settle after the drain, before it stops accepting', async () => {
    const settled: Array<() => void> = [];
    const { steps, shutdown } = setup({
      drainMs: 0,
      settle: (maxWaitMs) => {
        steps.push(`settle ${maxWaitMs}`);
        return new Promise<void>((resolve) => settled.push(resolve));
      },
    });

    const done = shutdown.shutdown('SIGTERM');
    await jest.advanceTimersByTimeAsync(0);
    expect(steps).toEqual(['settle 2500']);

    settled[0]();
    await done;
    expect(steps).toEqual(['settle 2500', 'stop accepting', 'close', 'exit 0']);
  });

  it('should exit 1 when closing outlives the timeout', async () => {
    const { steps, shutdown } = setup({
      drainMs: 0,
      timeoutMs: 1000,
      close: () => new Promise(() => undefined),
    });

    const done = shutdown.shutdown('SIGTERM');
    await jest.advanceTimersByTimeAsync(1000);
    await done;
    expect(steps).toEqual(['stop accepting', 'exit 1']);
  });

  it('should exit 1 when in-flight requests did not finish', async () => {
    const { steps, shutdown } = setup({ drainMs: 0, stopAccepting: () => Promise.resolve(false) });

    const done = shutdown.shutdown('SIGTERM');
    await jest.advanceTimersByTimeAsync(0);
    await done;
    expect(steps).toEqual(['close', 'exit 1']);
  });

  it('should force exit 1 on a second signal during the drain', async () => {
    const { steps, shutdown } = setup();

    void shutdown.shutdown('SIGTERM');
    await shutdown.shutdown('SIGTERM');
    expect(steps).toEqual(['exit 1']);
  });
});
