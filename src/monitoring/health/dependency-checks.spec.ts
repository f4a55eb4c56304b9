import type { HealthIndicatorResult } from '@nestjs/terminus';
import { DependencyChecks } from './dependency-checks';
import { HealthIndicator, HealthIndicatorRegistry } from './health-indicator.registry';
import { ReadinessRegistry } from './readiness.registry';

/** An indicator answering `status` with `details`, in terminus's result shape. */
function indicator(status: 'up' | 'down', details: Record<string, unknown> = {}): HealthIndicator {
  return {
    isHealthy: <const Key extends string>(key: Key) =>
      Promise.resolve({ [key]: { status, ...details } } as HealthIndicatorResult<Key>),
  };
}

describe(DependencyChecks.name, () => {
  let indicators: HealthIndicatorRegistry;
  let readiness: ReadinessRegistry;

  beforeEach(() => {
    indicators = new HealthIndicatorRegistry();
    readiness = new ReadinessRegistry();
  });

  it('should add the registered indicators to readiness after the checks already there, by group', () => {
    readiness.register({
      name: 'cache',
      group: 'redis',
      check: () => Promise.resolve({ up: true }),
    });
    indicators.register({ name: 'redis', indicator: indicator('up') });
    indicators.register({ name: 'database', indicator: indicator('up') });
    indicators.register({
      name: 'schema',
      group: 'database',
      critical: true,
      indicator: indicator('up'),
    });

    new DependencyChecks(readiness, indicators).onModuleInit();

    expect(
      readiness.list().map(({ name, group, critical }) => ({ name, group, critical })),
    ).toEqual([
      { name: 'cache', group: 'redis', critical: undefined },
      { name: 'database', group: undefined, critical: undefined },
      { name: 'schema', group: 'database', critical: true },
      { name: 'redis', group: undefined, critical: undefined },
    ]);
  });

  it('should report the indicator result under its name, details without the status', async () => {
    indicators.register({ name: 'redis', indicator: indicator('down', { client_status: 'end' }) });
    new DependencyChecks(readiness, indicators).onModuleInit();

    await expect(readiness.list()[0].check()).resolves.toEqual({
      up: false,
      details: { client_status: 'end' },
    });
  });

  it('should refuse a registration once readiness was assembled, and a name twice', () => {
    indicators.register({ name: 'redis', indicator: indicator('up') });
    expect(() => indicators.register({ name: 'redis', indicator: indicator('up') })).toThrow(
      'Health indicator "redis" is already registered',
    );

    new DependencyChecks(readiness, indicators).onModuleInit();

    expect(() => indicators.register({ name: 'database', indicator: indicator('up') })).toThrow(
      /registered after readiness was assembled/,
    );
  });
});
