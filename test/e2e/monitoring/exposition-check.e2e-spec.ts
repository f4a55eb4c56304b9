import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { checkExposition } from '../../helpers/exposition-check';

// The tests' stand-in for `promtool check metrics` (used when promtool is not installed): it must
// pass what prom-client writes and catch what promtool catches.
describe('checkExposition (the /metrics checker of the tests)', () => {
  it('should pass the exposition prom-client writes, with escapes, histograms and labels', async () => {
    const registry = new Registry();
    new Counter({ name: 'jobs_total', help: 'Jobs', labelNames: ['queue'], registers: [registry] })
      .labels({ queue: 'a "quoted" \\ back\nslash' })
      .inc(3);
    new Gauge({ name: 'pool_size', help: 'Pool', registers: [registry] }).set(-1.5e-3);
    new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Latency',
      labelNames: ['route'],
      buckets: [0.1, 1],
      registers: [registry],
    })
      .labels({ route: '/agents/{id}' })
      .observe(0.5);

    expect(checkExposition(await registry.metrics())).toEqual([]);
  });

  it.each([
    [
      'a syntax error',
      '# HELP x_total X\n# TYPE x_total counter\nx_total{a="1"\n',
      /expected , or }/,
    ],
    ['a bad value', '# HELP g G\n# TYPE g gauge\ng one\n', /invalid value/],
    ['a bad metric name', '# HELP 1g G\n', /invalid metric name/],
    ['a bad escape', '# HELP g G\n# TYPE g gauge\ng{a="\\x"} 1\n', /invalid escape/],
    [
      'a duplicate series',
      '# HELP g G\n# TYPE g gauge\ng{a="1"} 1\ng{a="1"} 2\n',
      /duplicate series/,
    ],
    [
      'a family split in two',
      '# HELP g G\n# TYPE g gauge\ng 1\n# HELP h H\n# TYPE h gauge\nh 1\ng{a="2"} 1\n',
      /not contiguous/,
    ],
    ['a second TYPE line', '# HELP g G\n# TYPE g gauge\n# TYPE g gauge\ng 1\n', /second TYPE/],
    ['no help text', '# TYPE g gauge\ng 1\n', /no help text/],
    ['a counter without _total', '# HELP c C\n# TYPE c counter\nc 1\n', /_total/],
    ['a camelCase name', '# HELP fooBar F\n# TYPE fooBar gauge\nfooBar 1\n', /snake_case/],
    [
      'a histogram without +Inf',
      '# HELP h H\n# TYPE h histogram\nh_bucket{le="1"} 1\nh_sum 1\nh_count 1\n',
      /\+Inf/,
    ],
  ])('should report %s', (_case, text, problem) => {
    expect(checkExposition(text).join('\n')).toMatch(problem);
  });
});
