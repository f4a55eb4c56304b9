import { Counter } from 'prom-client';
import { methodLabel, routeLabel, UNMATCHED_ROUTE } from './http-labels';
import { MetricsService } from './metrics.service';

describe(routeLabel.name, () => {
  it('should use the route template, never the raw URL', () => {
    expect(routeLabel({ routeOptions: { url: '/agents/:id' } } as never)).toBe('/agents/:id');
  });

  it('should use a fixed label when no route matched', () => {
    expect(routeLabel({ routeOptions: { url: undefined } } as never)).toBe(UNMATCHED_ROUTE);
  });
});

describe(methodLabel.name, () => {
  it('should keep standard methods and fold others into OTHER', () => {
    expect(methodLabel('GET')).toBe('GET');
    expect(methodLabel('PROPFIND')).toBe('OTHER');
  });
});

describe(MetricsService.name, () => {
  it('should return the same metric when asked twice for a name', () => {
    const metrics = new MetricsService();
    const config = { name: 'cache_requests_total', help: 'h', labelNames: ['cache', 'result'] };
    const first = metrics.counter(config);
    const second = metrics.counter({ ...config, labelNames: ['result', 'cache'] });
    expect(second).toBe(first);
    expect(first).toBeInstanceOf(Counter);
  });

  it('should refuse a name already registered with another type or labels', () => {
    const metrics = new MetricsService();
    metrics.counter({ name: 'jobs_total', help: 'h', labelNames: ['queue'] });
    expect(() => metrics.gauge({ name: 'jobs_total', help: 'h', labelNames: ['queue'] })).toThrow(
      /another type or labels/,
    );
    expect(() => metrics.counter({ name: 'jobs_total', help: 'h', labelNames: ['state'] })).toThrow(
      /another type or labels/,
    );
  });

  it('should serve default Node metrics without the lint-failing _total gauges', async () => {
    const { body } = await new MetricsService().scrape();
    expect(body).toContain('nodejs_heap_size_used_bytes');
    expect(body).not.toContain('nodejs_active_handles_total');
  });
});
