import { hostname } from 'node:os';
import request from 'supertest';
import { StartupState } from '../../../src/monitoring';
import { createTestApp, TestApp } from '../../helpers/test-app';

describe('Health probes (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should answer the probes with status only and no caching to anonymous callers', async () => {
    for (const path of ['/health/live', '/health/ready', '/health/startup']) {
      const res = await request(t.server).get(path).expect(200);
      expect(res.body).toEqual({ status: 'ok' });
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('should show check details with response times to an admin only', async () => {
    const user = await request(t.server).get('/health/ready').set(t.auth('user')).expect(200);
    expect(user.body).toEqual({ status: 'ok' });

    const admin = await request(t.server).get('/health/ready').set(t.auth('admin')).expect(200);
    expect(admin.body.status).toBe('ok');
    const { database, redis } = admin.body.details.checks;
    expect(database).toMatchObject({ status: 'up', required: true });
    expect(redis).toMatchObject({ status: 'up', required: false });
    expect(database.response_time_ms).toBeGreaterThanOrEqual(0);
    expect(redis.response_time_ms).toBeGreaterThanOrEqual(0);

    const live = await request(t.server).get('/health/live').set(t.auth('admin')).expect(200);
    expect(live.body.details).toMatchObject({ event_loop_lag_limit_ms: 1000 });
    expect(live.body.details.event_loop_lag_ms).toBeGreaterThanOrEqual(0);
  });

  it('should keep /health/startup at 503 while a module holds the startup gate', async () => {
    const release = t.app.get(StartupState).hold('test warm-up');
    const held = await request(t.server).get('/health/startup').expect(503);
    expect(held.body).toEqual({ status: 'starting' });
    release();
    await request(t.server).get('/health/startup').expect(200);
  });

  it('should serve /info without hostnames', async () => {
    const res = await request(t.server).get('/info').expect(200);
    expect(res.body).toEqual({
      name: 'agentic-engine-api',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      git_revision: expect.any(String),
      node_version: process.version,
      started_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      uptime_seconds: expect.any(Number),
    });
    expect(res.text).not.toContain(hostname());
    expect(res.text).not.toContain('127.0.0.1');
  });

  it('should keep performance endpoints to admins', async () => {
    for (const path of ['/performance/stats', '/health/performance']) {
      const anonymous = await request(t.server).get(path).expect(401);
      expect(anonymous.text).not.toContain('pool');
      await request(t.server).get(path).set(t.auth('user')).expect(403);
    }
  });

  it('should report the guide shape of /performance/stats', async () => {
    const res = await request(t.server).get('/performance/stats').set(t.auth('admin')).expect(200);
    // Sections of modules that are not enabled say so; enabled ones fill them in.
    for (const section of ['cache', 'circuit_breakers', 'queues']) {
      expect(res.body[section]).toEqual(expect.any(Object));
    }
    expect(res.body.database).toMatchObject({
      pool: { size: expect.any(Number), idle: expect.any(Number), max: expect.any(Number) },
      queries: { total: expect.any(Number), slow: expect.any(Number) },
    });
  });

  it('should report the guide shape of /health/performance', async () => {
    const res = await request(t.server).get('/health/performance').set(t.auth('admin')).expect(200);
    expect(Object.keys(res.body).sort()).toEqual([
      'cache_hit_rate',
      'circuit_breakers',
      'database_pool',
    ]);
    expect(res.body.cache_hit_rate === null || typeof res.body.cache_hit_rate === 'number').toBe(
      true,
    );
    expect(res.body.circuit_breakers).toEqual(expect.any(Object));
    expect(res.body.database_pool).toMatchObject({
      in_use: expect.any(Number),
      waiting: expect.any(Number),
      utilization_percent: expect.any(Number),
    });
  });

  it('should reject an invalid token on a probe rather than show details', async () => {
    const res = await request(t.server)
      .get('/health/ready')
      .set('Authorization', 'Bearer not-a-token')
      .expect(401);
    expect(res.body.details).toBeUndefined();
  });
});
