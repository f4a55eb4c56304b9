import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { checkExposition } from '../../helpers/exposition-check';
import { createScenarioApp, ScenarioApp, SECRET_ERROR_TEXT } from './support/scenario-app';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

/** Sample lines (not comments) of the metrics whose name starts with `prefix`. */
function seriesOf(body: string, prefix: string): string[] {
  return body.split('\n').filter((line) => line.startsWith(prefix));
}

describe('Metrics and request timing (e2e)', () => {
  let t: ScenarioApp;
  const scrape = async (): Promise<string> =>
    (
      await request(t.server)
        .get('/metrics')
        .set('Authorization', `Bearer ${METRICS_TOKEN}`)
        .expect(200)
    ).text;

  beforeAll(async () => {
    process.env.MONITORING__METRICS_TOKEN = METRICS_TOKEN;
    process.env.MONITORING__SLOW_REQUEST_MS = '50';
    t = await createScenarioApp();
  });

  afterAll(async () => {
    await t.close();
    delete process.env.MONITORING__METRICS_TOKEN;
    delete process.env.MONITORING__SLOW_REQUEST_MS;
  });

  it('should set X-Process-Time in seconds on 2xx, 4xx and 5xx responses', async () => {
    const responses = await Promise.all([
      request(t.server).get(`/monitoring-scenario/items/${randomUUID()}`).expect(200),
      request(t.server).get('/health/live').expect(200),
      request(t.server).get(`/no-such-route/${randomUUID()}`).expect(404),
      request(t.server).get('/performance/stats').expect(401),
      request(t.server).get('/performance/stats').set(t.auth('user')).expect(403),
      request(t.server).get('/monitoring-scenario/boom').expect(500),
      request(t.server).get('/metrics').expect(401),
    ]);
    for (const res of responses) {
      expect(res.headers['x-process-time']).toMatch(/^\d+\.\d{6}$/);
      expect(Number(res.headers['x-process-time'])).toBeLessThan(5);
    }
  });

  it('should answer an unexpected error with a generic 500 body', async () => {
    const res = await request(t.server).get('/monitoring-scenario/boom').expect(500);
    expect(res.body).toEqual({ statusCode: 500, message: 'Internal server error' });
    expect(res.text).not.toContain('db-primary');
    expect(res.text).not.toContain(SECRET_ERROR_TEXT);
  });

  it('should label HTTP metrics by route template so 1,000 distinct ids add no series', async () => {
    // Warm up every series these requests can create (200 on the scenario route, the agents
    // route as an anonymous caller, and unmatched URLs).
    await request(t.server).get(`/monitoring-scenario/items/${randomUUID()}`).expect(200);
    await request(t.server).get(`/agents/${randomUUID()}`);
    await request(t.server).get(`/unknown/${randomUUID()}`).expect(404);
    await scrape(); // the scrape itself adds the `/metrics` 200 series
    const before = seriesOf(await scrape(), 'http_request');

    for (let batch = 0; batch < 10; batch += 1) {
      await Promise.all(
        Array.from({ length: 100 }, async (_, i) => {
          const id = randomUUID();
          const path = [`/monitoring-scenario/items/${id}`, `/agents/${id}`, `/unknown/${id}`][
            i % 3
          ];
          await request(t.server).get(path);
        }),
      );
    }

    const body = await scrape();
    // http_requests_total and http_request_duration_seconds (the slow counter depends on timing).
    const after = seriesOf(body, 'http_request');
    expect(after.map((line) => line.split(' ')[0]).sort()).toEqual(
      before.map((line) => line.split(' ')[0]).sort(),
    );
    expect(body).toContain('route="/monitoring-scenario/items/:id"');
    expect(body).toContain('route="UNMATCHED"');
    expect(body).not.toMatch(/route="[^"]*[0-9a-f]{8}-[0-9a-f]{4}/);
  });

  it('should require the metrics token when one is configured', async () => {
    await request(t.server).get('/metrics').expect(401);
    await request(t.server).get('/metrics').set('Authorization', 'Bearer wrong-token').expect(401);
    const res = await request(t.server)
      .get('/metrics')
      .set('Authorization', `Bearer ${METRICS_TOKEN}`)
      .expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('should expose default, HTTP and database metrics', async () => {
    await request(t.server).get('/health/ready').expect(200);
    const body = await scrape();
    for (const name of [
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'http_requests_total{',
      'http_request_duration_seconds_bucket{',
      'http_slow_requests_total',
      'db_query_duration_seconds_bucket{',
      'db_slow_queries_total',
      'db_pool_connections{state="idle"}',
      'db_pool_connections{state="in_use"}',
      'db_pool_connections{state="waiting"}',
      'db_pool_max_connections',
    ]) {
      expect(body).toContain(name);
    }
  });

  it('should count a request over MONITORING__SLOW_REQUEST_MS as slow', async () => {
    const count = (body: string): number => {
      const line = seriesOf(body, 'http_slow_requests_total{').find((l) =>
        l.includes('route="/monitoring-scenario/slow"'),
      );
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const before = count(await scrape());
    await request(t.server).get('/monitoring-scenario/slow?ms=10').expect(200);
    await request(t.server).get('/monitoring-scenario/slow?ms=120').expect(200);
    expect(count(await scrape())).toBe(before + 1);
  });

  it('should pass promtool check metrics (and the built-in checker when promtool is missing)', async () => {
    await request(t.server).get(`/monitoring-scenario/items/${randomUUID()}`).expect(200);
    const body = await scrape();
    expect(checkExposition(body)).toEqual([]);

    // promtool comes from the Debian package `prometheus` (.ci/run installs it); without it the
    // built-in checker above stands in, so `npm test` needs nothing outside npm.
    if (spawnSync('sh', ['-c', 'command -v promtool']).status !== 0) {
      process.stderr.write(
        'promtool not installed: /metrics checked by test/helpers/exposition-check.ts only\n',
      );
      return;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'metrics-')), 'metrics.txt');
    writeFileSync(file, body);
    const result = spawnSync('sh', ['-c', `promtool check metrics < "${file}" 2>&1`], {
      encoding: 'utf8',
    });
    expect({ status: result.status, problems: result.stdout.trim() }).toEqual({
      status: 0,
      problems: '',
    });
  });
});
