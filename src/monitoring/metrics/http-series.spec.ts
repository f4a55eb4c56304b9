import { Registry } from 'prom-client';
import { HttpSeriesTable, TableHistogram } from './http-series';

describe(HttpSeriesTable.name, () => {
  it('should reuse one series per method, route and status', () => {
    const table = new HttpSeriesTable([0.1, 1]);
    const a = table.series('GET', 0, '/a', 200);
    expect(table.series('GET', 0, '/a', 200)).toBe(a);
    expect(table.series('GET', 0, '/a', 404)).not.toBe(a);
    expect(table.series('POST', 2, '/a', 200)).not.toBe(a);
    expect(table.all()).toHaveLength(3);
  });

  it('should put a value equal to a bound in that bound (le), past the last in +Inf', () => {
    const table = new HttpSeriesTable([0.1, 1]);
    const series = table.series('GET', 0, '/a', 200);
    for (const seconds of [0.05, 0.1, 0.5, 1, 3]) {
      table.observe(series, seconds);
    }
    expect(series.buckets).toEqual([2, 2, 1]);
    expect(series.count).toBe(5);
    expect(series.sum).toBeCloseTo(4.65);
  });
});

describe(TableHistogram.name, () => {
  it('should expose the table as cumulative buckets, sum and count', async () => {
    const table = new HttpSeriesTable([0.1, 1]);
    const series = table.series('GET', 0, '/a', 200);
    table.observe(series, 0.05);
    table.observe(series, 0.5);
    const registry = new Registry();
    registry.registerMetric(
      new TableHistogram(
        {
          name: 'x_seconds',
          help: 'x',
          labelNames: ['method', 'route', 'status_code'],
          registers: [],
        },
        table,
      ),
    );
    const labels = 'method="GET",route="/a",status_code="200"';
    expect((await registry.metrics()).trim().split('\n')).toEqual([
      '# HELP x_seconds x',
      '# TYPE x_seconds histogram',
      `x_seconds_bucket{le="0.1",${labels}} 1`,
      `x_seconds_bucket{le="1",${labels}} 2`,
      `x_seconds_bucket{le="+Inf",${labels}} 2`,
      `x_seconds_sum{${labels}} 0.55`,
      `x_seconds_count{${labels}} 2`,
    ]);
  });
});
