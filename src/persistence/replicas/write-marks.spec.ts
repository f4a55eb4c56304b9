import type Redis from 'ioredis';
import type { ConfigType } from '@nestjs/config';
import type { redisConfig } from '../../config';
import type { RedisOutage } from '../../redis';
import type { databaseConfig } from '../persistence.config';
import { WriteMarks } from './write-marks';

describe(WriteMarks.name, () => {
  const config = {
    replicas: { maxLagMs: 5000, checkIntervalMs: 500, checkTimeoutMs: 1000, redisTimeoutMs: 20 },
  } as ConfigType<typeof databaseConfig>;
  const marksWith = (redis: Partial<Record<'get' | 'eval', jest.Mock>>) =>
    new WriteMarks(
      redis as unknown as Redis,
      { keyPrefix: 'test' } as ConfigType<typeof redisConfig>,
      config,
    );

  it('should need nothing for an anonymous read that fills no cache (no Redis call)', async () => {
    const get = jest.fn();

    await expect(marksWith({ get }).required(undefined, false)).resolves.toBe(0);
    expect(get).not.toHaveBeenCalled();
  });

  it("should require the caller's mark and, for a cache fill, the fleet's", async () => {
    const stored: Record<string, string> = { 'test:rr:lsn:u1': '300', 'test:rr:lsn:*': '700' };
    const get = jest.fn((key: string) => Promise.resolve(stored[key] ?? null));
    const marks = marksWith({ get });

    await expect(marks.required('u1', false)).resolves.toBe(300);
    await expect(marks.required('u1', true)).resolves.toBe(700);
    await expect(marks.required('u2', false)).resolves.toBe(0);
  });

  it('should answer undefined (read the primary) when Redis fails or hangs', async () => {
    const failing = marksWith({ get: jest.fn(() => Promise.reject(new Error('down'))) });
    const hanging = marksWith({ get: jest.fn(() => new Promise(() => undefined)) });

    await expect(failing.required('u1', false)).resolves.toBeUndefined();
    await expect(hanging.required('u1', false)).resolves.toBeUndefined();
  });

  it("should keep this process's marks when Redis lost the write's record", async () => {
    const marks = marksWith({
      eval: jest.fn(() => Promise.reject(new Error('down'))),
      get: jest.fn(() => Promise.resolve(null)),
    });

    await marks.record('u1', 900);

    await expect(marks.required('u1', false)).resolves.toBe(900);
    await expect(marks.required(undefined, true)).resolves.toBe(900);
  });
});

describe(`${WriteMarks.name} with a suspected Redis outage`, () => {
  it('should skip Redis (reads go to the primary) and let one call a second probe it', async () => {
    const get = jest.fn(() => Promise.resolve('5'));
    const outage = { suspected: true, report: jest.fn(), recovered: jest.fn() };
    const marks = new WriteMarks(
      { get } as unknown as Redis,
      { keyPrefix: 'test' } as ConfigType<typeof redisConfig>,
      {
        replicas: {
          maxLagMs: 5000,
          checkIntervalMs: 500,
          checkTimeoutMs: 1000,
          redisTimeoutMs: 20,
        },
      } as ConfigType<typeof databaseConfig>,
      outage as unknown as RedisOutage,
    );

    const probe = await marks.required('u1', false);
    const skipped = await marks.required('u1', false);

    expect(probe).toBe(5);
    expect(outage.recovered).toHaveBeenCalledTimes(1);
    expect(skipped).toBeUndefined();
    expect(get).toHaveBeenCalledTimes(1);
  });
});
