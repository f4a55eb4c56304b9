import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { MetricsService } from '../monitoring';
import { BackgroundTasks } from './background-tasks';
import type { queuesConfig } from './queues.config';

/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((res) => (resolve = res));
  return { promise, resolve };
}

describe(BackgroundTasks.name, () => {
  let inc: jest.Mock;
  let errorLog: jest.SpyInstance;
  let warnLog: jest.SpyInstance;
  let background: BackgroundTasks;

  beforeEach(() => {
    inc = jest.fn();
    const metrics = { counter: () => ({ inc }) } as unknown as MetricsService;
    const config = { shutdownTimeoutMs: 1000 } as ConfigType<typeof queuesConfig>;
    errorLog = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    warnLog = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    background = new BackgroundTasks(metrics, config);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('should count a task that succeeds', async () => {
    background.run('ok', () => Promise.resolve('done'));
    await settle();

    expect(inc).toHaveBeenCalledWith({ result: 'succeeded' });
    expect(errorLog).not.toHaveBeenCalled();
    expect(background.size).toBe(0);
  });

  it('should log and count failures, rejected or thrown, never as unhandled rejections', async () => {
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      background.run('rejects', () => Promise.reject(new Error('rejected')));
      background.run('throws', () => {
        throw new Error('thrown synchronously');
      });
      // A non-Error reason is what this case checks (third-party code does reject with strings).
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      background.run('rejects a string', () => Promise.reject('plain'));
      await settle();
      await settle();
    } finally {
      process.off('unhandledRejection', unhandled);
    }

    expect(unhandled).not.toHaveBeenCalled();
    expect(inc).toHaveBeenCalledTimes(3);
    expect(inc).toHaveBeenCalledWith({ result: 'failed' });
    expect(inc).not.toHaveBeenCalledWith({ result: 'succeeded' });
    expect(errorLog.mock.calls.map(([message]) => message).sort()).toEqual([
      'Background task "rejects a string" failed: plain',
      'Background task "rejects" failed: rejected',
      'Background task "throws" failed: thrown synchronously',
    ]);
    expect(background.size).toBe(0);
  });

  it('should wait in drain for the tasks in flight', async () => {
    const slow = deferred();
    let finished = false;
    background.run('slow', async () => {
      await slow.promise;
      finished = true;
    });
    expect(background.size).toBe(1);

    const draining = background.drain(1000);
    await settle();
    expect(finished).toBe(false);
    slow.resolve();

    await expect(draining).resolves.toBe(true);
    expect(finished).toBe(true);
    expect(background.size).toBe(0);
    expect(warnLog).not.toHaveBeenCalled();
  });

  it('should also wait in drain for a task started while it waits', async () => {
    const first = deferred();
    const second = deferred();
    let secondFinished = false;
    background.run('first', () => first.promise);
    let result: boolean | undefined;

    void background.drain(1000).then((done) => (result = done));
    await settle();
    // A request finishing during shutdown starts one more task.
    background.run('second', async () => {
      await second.promise;
      secondFinished = true;
    });
    first.resolve();
    await settle();
    await settle();
    expect(result).toBeUndefined();
    second.resolve();
    await settle();
    await settle();

    expect(result).toBe(true);
    expect(secondFinished).toBe(true);
    expect(background.size).toBe(0);
    expect(warnLog).not.toHaveBeenCalled();
  });

  it('should bound the whole drain by one deadline, not one per task', async () => {
    jest.useFakeTimers();
    // Finishes after 300 ms and then starts a task that never ends.
    background.run('chained', async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      background.run('stuck', () => new Promise<never>(() => undefined));
    });
    let result: boolean | undefined;

    void background.drain(500).then((done) => (result = done));
    await jest.advanceTimersByTimeAsync(499);
    expect(result).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);

    expect(result).toBe(false);
    expect(warnLog).toHaveBeenCalledWith('1 background task(s) still running at shutdown');
  });

  it('should give up draining after the timeout and say how many tasks still run', async () => {
    jest.useFakeTimers();
    background.run('stuck', () => new Promise<never>(() => undefined));
    let result: boolean | undefined;

    void background.drain(500).then((done) => (result = done));
    await jest.advanceTimersByTimeAsync(499);
    expect(result).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);

    expect(result).toBe(false);
    expect(warnLog).toHaveBeenCalledWith('1 background task(s) still running at shutdown');
  });

  it('should drain at shutdown for at most QUEUES__SHUTDOWN_TIMEOUT_MS', async () => {
    jest.useFakeTimers();
    background.run('stuck', () => new Promise<never>(() => undefined));
    let done = false;

    void background.beforeApplicationShutdown().then(() => (done = true));
    await jest.advanceTimersByTimeAsync(999);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);

    expect(done).toBe(true);
  });

  it('should finish draining at once when nothing runs', async () => {
    await expect(background.drain(1000)).resolves.toBe(true);
  });
});
