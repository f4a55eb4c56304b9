import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { DataSource } from 'typeorm';
import { DatabasePool } from './database-pool';
import type { databaseConfig } from './persistence.config';

describe(DatabasePool.name, () => {
  const limits = (max: number) => [{ max_connections: String(max), reserved: '3' }];
  const poolOf = (primaryMax: number, replicaMax: Array<number | Error>, instances: number) => {
    const replicas = replicaMax.map((max) => ({
      query: jest.fn(() =>
        max instanceof Error ? Promise.reject(max) : Promise.resolve({ rows: limits(max) }),
      ),
    }));
    const dataSource = {
      query: jest.fn(() => Promise.resolve(limits(primaryMax))),
      driver: { slaves: replicas },
    } as unknown as DataSource;
    const config = { pool: { max: 20 }, expectedInstances: instances } as ConfigType<
      typeof databaseConfig
    >;
    return new DatabasePool(dataSource, config);
  };
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterEach(() => warn.mockRestore());

  it('should count each replica server and the monitor connection per instance', async () => {
    // 4 x (20 + 1) = 84: fits 100 - 3 on the primary, not 80 - 3 on the replica.
    await poolOf(100, [80], 4).checkBudget();

    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain(
      'on the replica-0: 4 instance(s) x (pool max 20 + 1 replica monitor) = 84',
    );
  });

  it('should count no monitor connection without replicas', async () => {
    // 4 x 20 = 80 fits 83 available.
    await poolOf(86, [], 4).checkBudget();

    expect(warn).not.toHaveBeenCalled();
  });

  it('should warn, not fail, when a replica does not answer the check', async () => {
    await expect(poolOf(100, [new Error('down')], 1).checkBudget()).resolves.toBeUndefined();

    expect(warn).toHaveBeenCalledWith('replica-0 did not answer the budget check');
  });
});
