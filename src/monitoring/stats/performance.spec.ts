import { Logger } from '@nestjs/common';
import { PerformanceStatsRegistry } from './performance-stats.registry';
import { PerformanceService } from './performance.service';

describe(PerformanceService.name, () => {
  beforeAll(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });

  it('should show placeholders for modules that do not exist yet', async () => {
    const service = new PerformanceService(new PerformanceStatsRegistry());
    expect(await service.stats()).toEqual({
      cache: { enabled: false },
      circuit_breakers: { enabled: false },
      queues: { enabled: false },
    });
    expect(await service.summary()).toEqual({
      cache_hit_rate: null,
      circuit_breakers: { enabled: false },
    });
  });

  it('should let a module replace its placeholder, once', async () => {
    const registry = new PerformanceStatsRegistry();
    const service = new PerformanceService(registry);
    const section = {
      name: 'cache',
      stats: () => ({ hits: 9, misses: 1, hit_rate_percent: 90 }),
      summary: { key: 'cache_hit_rate', value: () => 90 },
    };
    registry.register(section);

    expect((await service.stats()).cache).toEqual({ hits: 9, misses: 1, hit_rate_percent: 90 });
    expect((await service.summary()).cache_hit_rate).toBe(90);
    expect(() => registry.register(section)).toThrow(/already registered/);
  });

  it('should isolate a failing section', async () => {
    const registry = new PerformanceStatsRegistry();
    registry.register({
      name: 'queues',
      stats: () => {
        throw new Error('redis down');
      },
    });
    const stats = await new PerformanceService(registry).stats();
    expect(stats.queues).toEqual({ error: 'unavailable' });
    expect(stats.cache).toEqual({ enabled: false });
  });
});
