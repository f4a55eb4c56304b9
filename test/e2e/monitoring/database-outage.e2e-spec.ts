import request from 'supertest';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { TcpProxy } from './support/tcp-proxy';

/** Polls `path` until it answers `status`; returns the ms it took (fails after `limitMs`). */
async function msUntilStatus(
  server: TestApp['server'],
  path: string,
  status: number,
  limitMs: number,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    const res = await request(server).get(path);
    const elapsed = Date.now() - started;
    if (res.status === status) {
      return elapsed;
    }
    if (elapsed > limitMs) {
      throw new Error(`${path} still ${res.status} after ${elapsed} ms (wanted ${status})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Probes during a PostgreSQL outage (e2e)', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  const realUrl = process.env.DATABASE__URL as string;

  beforeAll(async () => {
    const target = new URL(realUrl);
    proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const viaProxy = new URL(realUrl);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    process.env.DATABASE__URL = viaProxy.toString();
    t = await createTestApp();
  });

  afterAll(async () => {
    await proxy.start().catch(() => undefined); // reachable again so the pool closes cleanly
    await t.close();
    await proxy.cut();
    process.env.DATABASE__URL = realUrl;
  });

  it('should fail readiness within 2 s of the outage and recover within 2 s, liveness staying 200', async () => {
    await request(t.server).get('/health/ready').expect(200);

    await proxy.cut();
    expect(await msUntilStatus(t.server, '/health/ready', 503, 2000)).toBeLessThanOrEqual(2000);
    const down = await request(t.server).get('/health/ready').expect(503);
    expect(down.body).toEqual({ status: 'down' });
    const live = await request(t.server).get('/health/live').expect(200);
    expect(live.body).toEqual({ status: 'ok' });
    const admin = await request(t.server).get('/health/ready').set(t.auth('admin')).expect(503);
    expect(admin.body.details.checks.database).toMatchObject({ status: 'down', required: true });

    await proxy.start();
    expect(await msUntilStatus(t.server, '/health/ready', 200, 2000)).toBeLessThanOrEqual(2000);
    await request(t.server).get('/health/live').expect(200);
  });
});
