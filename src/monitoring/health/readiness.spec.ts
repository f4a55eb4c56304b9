import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { monitoringConfig } from '../monitoring.config';
import { ShutdownState } from './lifecycle-state';
import { aggregateReadiness, CheckResult, readinessHttpStatus, runCheck } from './readiness';
import { ReadinessRegistry } from './readiness.registry';
import { ReadinessService } from './readiness.service';

const result = (status: 'up' | 'down', required: boolean): CheckResult => ({
  status,
  required,
  response_time_ms: 1,
});

describe(aggregateReadiness.name, () => {
  it('should be ok when every check is up', () => {
    expect(aggregateReadiness([result('up', true), result('up', false)])).toBe('ok');
  });

  it('should be degraded (HTTP 200) when only a non-required check is down', () => {
    const status = aggregateReadiness([result('up', true), result('down', false)]);
    expect(status).toBe('degraded');
    expect(readinessHttpStatus(status)).toBe(200);
  });

  it('should be down (HTTP 503) when a required check is down', () => {
    const status = aggregateReadiness([result('down', true), result('up', false)]);
    expect(status).toBe('down');
    expect(readinessHttpStatus(status)).toBe(503);
  });
});

describe(runCheck.name, () => {
  it('should report a check that outlives its timeout as down', async () => {
    // A bare timer of the same length armed just before: the check may not give up before it
    // fires. (Not a wall-clock lower bound: on a busy loop timers fire early against
    // performance.now(), so `elapsedMs >= 15` failed on a loaded machine.)
    let bareFired = false;
    const bare = new Promise<void>((resolve) =>
      setTimeout(() => {
        bareFired = true;
        resolve();
      }, 20),
    );
    const outcome = await runCheck(() => new Promise(() => undefined), 20);
    expect(bareFired).toBe(true);
    expect(outcome).toMatchObject({ up: false, details: { reason: 'timed out after 20 ms' } });
    expect(outcome.elapsedMs).toBeGreaterThan(0);
    await bare;
  });

  it('should report a rejecting check as down with its reason', async () => {
    const outcome = await runCheck(() => Promise.reject(new Error('refused')), 1000);
    expect(outcome).toMatchObject({ up: false, details: { reason: 'refused' } });
  });
});

describe(ReadinessService.name, () => {
  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  const config = (required: string[]) =>
    ({ readinessRequired: required, checkTimeoutMs: 100 }) as unknown as ConfigType<
      typeof monitoringConfig
    >;

  function setup(required: string[]) {
    const registry = new ReadinessRegistry();
    const shutdown = new ShutdownState();
    const service = new ReadinessService(registry, shutdown, config(required));
    return { registry, shutdown, service };
  }

  it('should mark checks required by name, by group, or when critical', async () => {
    const { registry, service } = setup(['database', 'queues']);
    registry.register({ name: 'database', check: () => Promise.resolve({ up: true }) });
    registry.register({
      name: 'queue:compute',
      group: 'queues',
      check: () => Promise.resolve({ up: true }),
    });
    registry.register({ name: 'redis', check: () => Promise.resolve({ up: true }) });
    registry.register({
      name: 'worker',
      critical: true,
      check: () => Promise.resolve({ up: true }),
    });

    const report = await service.evaluate();

    expect(report.status).toBe('ok');
    expect(report.checks.database.required).toBe(true);
    expect(report.checks['queue:compute'].required).toBe(true);
    expect(report.checks.redis.required).toBe(false);
    expect(report.checks.worker.required).toBe(true);
  });

  it('should degrade on a non-required outage and fail on a required one', async () => {
    const { registry, service } = setup(['database']);
    let databaseUp = true;
    registry.register({ name: 'database', check: () => Promise.resolve({ up: databaseUp }) });
    registry.register({ name: 'redis', check: () => Promise.resolve({ up: false }) });

    expect((await service.evaluate()).status).toBe('degraded');
    databaseUp = false;
    expect((await service.evaluate()).status).toBe('down');
  });

  it('should answer shutting_down without running checks once shutdown began', async () => {
    const { registry, shutdown, service } = setup(['database']);
    const check = jest.fn(() => Promise.resolve({ up: true }));
    registry.register({ name: 'database', check });
    shutdown.markShuttingDown();

    expect(await service.evaluate()).toEqual({ status: 'shutting_down', checks: {} });
    expect(check).not.toHaveBeenCalled();
  });

  it('should refuse a second check with the same name', () => {
    const { registry } = setup([]);
    registry.register({ name: 'redis', check: () => Promise.resolve({ up: true }) });
    expect(() =>
      registry.register({ name: 'redis', check: () => Promise.resolve({ up: true }) }),
    ).toThrow(/already registered/);
  });
});
