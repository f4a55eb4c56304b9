import request from 'supertest';
import { createTestApp, TestApp } from '../helpers/test-app';

describe('App (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should serve the OpenAPI document at /docs-json', async () => {
    const res = await request(t.server).get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
  });

  it('should echo a safe incoming X-Request-Id and replace an unsafe one', async () => {
    const safe = await request(t.server).get('/docs-json').set('X-Request-Id', 'abc-123');
    expect(safe.headers['x-request-id']).toBe('abc-123');
    const unsafe = await request(t.server).get('/docs-json').set('X-Request-Id', 'a b\tc');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
