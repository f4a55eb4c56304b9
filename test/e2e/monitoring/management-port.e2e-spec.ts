import request from 'supertest';
import { ManagementServer } from '../../../src/monitoring';
import { BOARD_PATH } from '../../../src/queues';
import { createTestApp, TestApp } from '../../helpers/test-app';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
const metricsAuth = { Authorization: `Bearer ${METRICS_TOKEN}` };

describe('Management port (e2e)', () => {
  let t: TestApp;
  let management: string;
  let admin: { Authorization: string };
  let closed = false;

  beforeAll(async () => {
    process.env.MONITORING__MANAGEMENT_PORT = '0';
    process.env.MONITORING__METRICS_TOKEN = METRICS_TOKEN;
    t = await createTestApp();
    management = `http://127.0.0.1:${t.app.get(ManagementServer).port}`;
    admin = { Authorization: t.auth('admin').Authorization };
  });

  afterAll(async () => {
    if (!closed) {
      await t?.close();
    }
    delete process.env.MONITORING__MANAGEMENT_PORT;
    delete process.env.MONITORING__METRICS_TOKEN;
  });

  it.each([
    ['/metrics', metricsAuth],
    ['/performance/stats', undefined],
    ['/health/performance', undefined],
    ['/info', undefined],
    ['/resilience/breakers', undefined],
    ['/cache/stats', undefined],
    [`${BOARD_PATH}/api/queues`, undefined],
    [`${BOARD_PATH}/login`, undefined],
  ])(
    'should serve %s on the management port and answer 404 on the public port',
    async (path, headers) => {
      const auth = headers ?? admin;

      const onPublic = await request(t.server).get(path).set(auth);
      const onManagement = await request(management).get(path).set(auth);

      expect(onPublic.status).toBe(404);
      expect(onPublic.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect(onManagement.status).toBe(200);
    },
  );

  it('should answer 404 on the public port before any auth, bull-board included', async () => {
    const anonymous = await request(t.server).get(BOARD_PATH);
    const browser = await request(t.server).get(BOARD_PATH).set('Accept', 'text/html');
    const stats = await request(t.server).get('/performance/stats');
    const metrics = await request(t.server).get('/metrics');

    expect([anonymous.status, browser.status, stats.status, metrics.status]).toEqual([
      404, 404, 404, 404,
    ]);
  });

  it('should serve API routes on the public port only', async () => {
    const user = t.auth('user');
    const auth = { Authorization: user.Authorization };

    const onPublic = await request(t.server).get('/user/profile').set(auth);
    const onManagement = await request(management).get('/user/profile').set(auth);
    const docs = await request(management).get('/docs-json');

    expect(onPublic.status).not.toBe(404);
    expect(onManagement.status).toBe(404);
    expect(docs.status).toBe(404);
  });

  it('should answer the probes on both ports, with details on the management port only', async () => {
    for (const path of ['/health/live', '/health/ready', '/health/startup']) {
      const onPublic = await request(t.server).get(path).set(admin).expect(200);
      const onManagement = await request(management).get(path).set(admin).expect(200);

      expect(onPublic.body).toEqual({ status: 'ok' });
      expect(onManagement.body).toMatchObject({ status: 'ok', details: expect.any(Object) });
    }
    const anonymous = await request(management).get('/health/ready').expect(200);
    expect(anonymous.body).toEqual({ status: 'ok' });
  });

  it('should keep the metrics token rule on the management port', async () => {
    const refused = await request(management).get('/metrics');

    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
  });

  it('should close the management listener with the app', async () => {
    const server = t.app.get(ManagementServer);
    await t.close();
    closed = true;

    expect(server.port).toBe(0);
    await expect(fetch(`${management}/health/live`)).rejects.toThrow();
  });
});

describe('Management port off (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should serve operator routes, probe details and the API on the one port', async () => {
    const admin = { Authorization: t.auth('admin').Authorization };

    const metrics = await request(t.server).get('/metrics');
    const stats = await request(t.server).get('/performance/stats').set(admin);
    const ready = await request(t.server).get('/health/ready').set(admin);

    expect(t.app.get(ManagementServer).enabled).toBe(false);
    expect(metrics.status).toBe(200);
    expect(stats.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', details: expect.any(Object) });
  });
});
