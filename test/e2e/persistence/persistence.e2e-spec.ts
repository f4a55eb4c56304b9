import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../../src/bootstrap';
import { ProbeAppModule } from '../../fixtures/persistence/probe-app.module';

// One connection, no overflow, 1 s wait: easy to exhaust on purpose.
process.env.DATABASE__POOL_SIZE = '1';
process.env.DATABASE__POOL_MAX_OVERFLOW = '0';
process.env.DATABASE__POOL_TIMEOUT = '1';
process.env.DATABASE__SLOW_QUERY_MS = '200';

describe('PersistenceModule (e2e)', () => {
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let warn: jest.SpyInstance;

  beforeAll(async () => {
    app = await createApp(await ProbeAppModule.forRoot());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    dataSource = app.get(DataSource);
  });

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn');
  });

  afterEach(() => {
    warn.mockRestore();
  });

  afterAll(async () => {
    await app.close();
  });

  const slowQueryLogs = () =>
    warn.mock.calls
      .map(([entry]) => entry as { msg?: string; durationMs?: number; sql?: string })
      .filter((entry) => entry?.msg === 'Slow query');

  it('should map the pool options from env (min = POOL_SIZE, max = POOL_SIZE + OVERFLOW)', () => {
    const pool = (dataSource.driver as unknown as { master: { options: Record<string, unknown> } })
      .master;
    expect(pool.options).toMatchObject({
      min: 1,
      max: 1,
      connectionTimeoutMillis: 1000,
      maxLifetimeSeconds: 3600,
      statement_timeout: 30000,
    });
  });

  it('should answer 503 with Retry-After when no pool connection frees up in time', async () => {
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    try {
      const started = Date.now();
      const res = await request(app.getHttpServer()).get('/probe').expect(503);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body.message).toMatch(/no free connection/);
    } finally {
      await holder.release();
    }
    await request(app.getHttpServer()).get('/probe').expect(200);
  });

  it('should log a slow query with normalized SQL and redacted parameters', async () => {
    await request(app.getHttpServer())
      .get('/probe/sleep')
      .query({ ms: 300, tag: 'secret-value-123' })
      .expect(200);
    const logs = slowQueryLogs();
    expect(logs).toHaveLength(1);
    expect(logs[0].durationMs).toBeGreaterThanOrEqual(290);
    expect(logs[0]).toMatchObject({
      sql: 'SELECT pg_sleep($?::float / ?), $?::text',
      parameters: ['number', 'string(16)'],
    });
    expect(JSON.stringify(warn.mock.calls)).not.toContain('secret-value-123');
  });

  it('should not count time spent waiting for a pool connection as query time', async () => {
    const holder = dataSource.createQueryRunner();
    await holder.connect();
    const pending = request(app.getHttpServer()).get('/probe').expect(200);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await holder.release();
    await pending;
    expect(slowQueryLogs()).toHaveLength(0);
  });

  it('should answer 400 without echoing the value for an invalid uuid cast', async () => {
    const res = await request(app.getHttpServer())
      .get('/probe/uuid')
      .query({ value: 'not-a-uuid-zzz' })
      .expect(400);
    expect(JSON.stringify(res.body)).not.toContain('not-a-uuid-zzz');
  });
});
