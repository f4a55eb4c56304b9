import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createTestApp, TestApp } from '../../helpers/test-app';

/** A port nothing listens on (bound, read, released). */
async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Probes with Redis unreachable (e2e)', () => {
  const realUrl = process.env.REDIS__URL;
  let deadUrl: string;

  beforeAll(async () => {
    deadUrl = `redis://127.0.0.1:${await unusedPort()}`;
  });

  afterEach(() => {
    process.env.REDIS__URL = realUrl;
    delete process.env.MONITORING__READINESS_REQUIRED;
  });

  it('should boot and report readiness 200 degraded, with Redis down for admins', async () => {
    process.env.REDIS__URL = deadUrl;
    const t: TestApp = await createTestApp();
    try {
      const res = await request(t.server).get('/health/ready').expect(200);
      expect(res.body).toEqual({ status: 'degraded' });
      const admin = await request(t.server).get('/health/ready').set(t.auth('admin')).expect(200);
      expect(admin.body.details.checks.redis).toMatchObject({ status: 'down', required: false });
      expect(admin.body.details.checks.database).toMatchObject({ status: 'up' });
      await request(t.server).get('/health/live').expect(200);
    } finally {
      await t.close();
    }
  });

  it('should fail readiness when MONITORING__READINESS_REQUIRED lists redis', async () => {
    process.env.REDIS__URL = deadUrl;
    process.env.MONITORING__READINESS_REQUIRED = 'database,redis';
    const t: TestApp = await createTestApp();
    try {
      const res = await request(t.server).get('/health/ready').expect(503);
      expect(res.body).toEqual({ status: 'down' });
    } finally {
      await t.close();
    }
  });
});
