import { QueryFailedError } from 'typeorm';
import type { ConfigType } from '@nestjs/config';
import type { DataSource } from 'typeorm';
import type { databaseConfig } from '../persistence.config';
import { QueryObserver } from '../query-observer';
import { ReadRouter } from './read-router';
import { runInReadScope, type ReadScope } from './read-scope';
import type { ReplicaState } from './read-target';
import type { ReplicaMonitor } from './replica-monitor';
import type { WriteMarks } from './write-marks';

describe(ReadRouter.name, () => {
  const failure = (code: string) =>
    new QueryFailedError('SELECT 1', [], Object.assign(new Error('x'), { code }));
  const setup = (required: number | undefined) => {
    const replicas: ReplicaState[] = [{ name: 'replica-0', up: true, replayed: 500, lagMs: 0 }];
    const observer = new QueryObserver();
    const marks = { required: jest.fn(() => Promise.resolve(required)) };
    const router = new ReadRouter(
      {} as DataSource,
      { replicas: { maxLagMs: 5000 } } as ConfigType<typeof databaseConfig>,
      { enabled: true, replicas, usable: () => replicas } as unknown as ReplicaMonitor,
      marks as unknown as WriteMarks,
      observer,
    );
    return { router, observer, marks };
  };
  const scope = (over: Partial<ReadScope> = {}): ReadScope => ({
    lagTolerant: true,
    principal: 'u1',
    fillsCache: false,
    wrote: false,
    ...over,
  });

  it.each([
    ['57P01 (admin shutdown): yes', '57P01', true],
    ['08006 (connection failure): yes', '08006', true],
    ['ECONNRESET: yes', 'ECONNRESET', true],
    ['40001 (recovery conflict): yes', '40001', true],
    ['57014 (statement timeout): no', '57014', false],
    ['23505 (unique violation): no', '23505', false],
    ['22P02 (bad input): no', '22P02', false],
  ])(
    'should tell whether a replica read that failed with %s runs again on the primary',
    (_, code, retried) => {
      expect(setup(0).router.shouldRetryOnPrimary(failure(code))).toBe(retried);
    },
  );

  it("should look up the caller's position once per request and route by it", async () => {
    const { router, marks } = setup(600);
    const request = scope();

    const targets = await runInReadScope(request, async () => [
      await router.target(),
      await router.target(),
    ]);

    expect(targets).toEqual([{ reason: 'read_your_writes' }, { reason: 'read_your_writes' }]);
    expect(marks.required).toHaveBeenCalledTimes(1);
    expect(marks.required).toHaveBeenCalledWith('u1', false);
  });

  it('should keep the rest of a GET on the primary once it ran a write', async () => {
    const { router, observer } = setup(0);
    const request = scope();

    const [before, after] = await runInReadScope(request, async () => {
      const first = await router.target();
      observer.started('INSERT INTO users (id) VALUES ($1)');
      return [first, await router.target()];
    });

    expect(before.index).toBe(0);
    expect(after).toEqual({ reason: 'wrote' });
  });

  it('should send reads outside any request to the primary without asking Redis', async () => {
    const { router, marks } = setup(0);

    await expect(router.target()).resolves.toEqual({ reason: 'not_lag_tolerant' });
    expect(marks.required).not.toHaveBeenCalled();
  });
});
