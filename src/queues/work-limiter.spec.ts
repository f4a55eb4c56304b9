import type { ConfigType } from '@nestjs/config';
import type { performanceConfig } from '../config';
import { CapacityExceededError } from './errors/capacity-exceeded.error';
import { WorkLimiter } from './work-limiter';

/** Work that finishes when the test says so. */
function deferred<T = string>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const limiterOf = (maxConcurrentAgents: number) =>
  new WorkLimiter({ maxConcurrentAgents } as ConfigType<typeof performanceConfig>);

describe(WorkLimiter.name, () => {
  it('should run up to the limit at once and queue the rest', async () => {
    const limiter = limiterOf(2);
    const works = [deferred(), deferred(), deferred()];
    const started: number[] = [];

    const runs = works.map((work, i) =>
      limiter.run(() => {
        started.push(i);
        return work.promise;
      }),
    );
    await settle();

    expect(started).toEqual([0, 1]);
    expect(limiter.stats()).toEqual({ limit: 2, active: 2, waiting: 1 });

    works[0].resolve('a');
    await settle();

    expect(started).toEqual([0, 1, 2]);
    expect(limiter.stats()).toEqual({ limit: 2, active: 2, waiting: 0 });

    works[1].resolve('b');
    works[2].resolve('c');
    await expect(Promise.all(runs)).resolves.toEqual(['a', 'b', 'c']);
    expect(limiter.stats()).toEqual({ limit: 2, active: 0, waiting: 0 });
  });

  it('should hand slots to waiters in arrival order', async () => {
    const limiter = limiterOf(1);
    const first = deferred();
    const order: string[] = [];
    const holder = limiter.run(() => first.promise);
    const waiters = ['x', 'y', 'z'].map((name) =>
      limiter.run(() => {
        order.push(name);
        return Promise.resolve(name);
      }),
    );

    first.resolve('held');
    await Promise.all([holder, ...waiters]);

    expect(order).toEqual(['x', 'y', 'z']);
    expect(limiter.stats().active).toBe(0);
  });

  it('should free the slot when the work fails', async () => {
    const limiter = limiterOf(1);
    const failing = deferred();
    const failed = limiter.run(() => failing.promise);
    const next = limiter.run(() => Promise.resolve('next'));

    failing.reject(new Error('boom'));

    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    expect(limiter.stats()).toEqual({ limit: 1, active: 0, waiting: 0 });
  });

  it('should refuse tryRun with CapacityExceededError (503) when every slot is busy, without queueing', async () => {
    const limiter = limiterOf(1);
    const busy = deferred();
    const held = limiter.run(() => busy.promise);
    const refusedWork = jest.fn(() => Promise.resolve('never'));

    const refused = limiter.tryRun(refusedWork);

    await expect(refused).rejects.toBeInstanceOf(CapacityExceededError);
    await expect(refused).rejects.toMatchObject({ limit: 1, retryAfterSeconds: 1 });
    expect(refusedWork).not.toHaveBeenCalled();
    expect(limiter.stats()).toEqual({ limit: 1, active: 1, waiting: 0 });
    busy.resolve('done');
    await held;
  });

  it('should run tryRun work in a free slot and release it afterwards', async () => {
    const limiter = limiterOf(1);
    const work = deferred();

    const running = limiter.tryRun(() => work.promise);

    expect(limiter.stats().active).toBe(1);
    await expect(limiter.tryRun(() => Promise.resolve('x'))).rejects.toBeInstanceOf(
      CapacityExceededError,
    );
    work.resolve('ok');
    await expect(running).resolves.toBe('ok');
    await expect(limiter.tryRun(() => Promise.resolve('again'))).resolves.toBe('again');
    expect(limiter.stats().active).toBe(0);
  });

  it('should let a queued run take the slot a tryRun frees', async () => {
    const limiter = limiterOf(1);
    const work = deferred();
    const running = limiter.tryRun(() => work.promise);
    const queued = limiter.run(() => Promise.resolve('queued'));
    await settle();

    expect(limiter.stats()).toEqual({ limit: 1, active: 1, waiting: 1 });
    work.resolve('first');

    await expect(Promise.all([running, queued])).resolves.toEqual(['first', 'queued']);
    expect(limiter.stats()).toEqual({ limit: 1, active: 0, waiting: 0 });
  });
});
