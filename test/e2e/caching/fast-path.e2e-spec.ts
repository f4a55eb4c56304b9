import request from 'supertest';
import { HttpCacheInterceptor } from '../../../src/caching';
import { testKeyPrefix } from '../../fixtures/caching/caching-app';
import { createTestApp, TestApp } from '../../helpers/test-app';

describe('Cache fast path (e2e, full app)', () => {
  let t: TestApp;
  let intercept: jest.SpyInstance;

  beforeAll(async () => {
    // Its own key prefix: other files of the run cache GET /templates too (the rate-limit suite
    // did, and this test's first request, which must miss, was then a hit).
    t = await createTestApp({ keyPrefix: testKeyPrefix('fast_path') });
  });

  beforeEach(() => {
    intercept = jest.spyOn(HttpCacheInterceptor.prototype, 'intercept');
  });

  afterEach(() => {
    intercept.mockRestore();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should answer a public hit without credentials before the Nest pipeline, with the same bytes and headers', async () => {
    const miss = await request(t.server).get('/templates').expect(200);
    expect(intercept).toHaveBeenCalledTimes(1);

    const hit = await request(t.server).get('/templates').expect(200);

    expect(intercept).toHaveBeenCalledTimes(1);
    expect(hit.headers['x-cache']).toBe('HIT');
    expect(hit.text).toBe(miss.text);
    expect(hit.headers.etag).toBe(miss.headers.etag);
    expect(hit.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    expect(hit.headers['x-process-time']).toBeDefined();
    expect(hit.headers['x-request-id']).toBeDefined();
  });

  it('should answer hits with a valid bearer token before the Nest pipeline too, per principal on user-scoped routes', async () => {
    const alice = t.auth();
    const bob = t.auth();
    const missA = await request(t.server).get('/user/profile').set(alice).expect(200);
    intercept.mockClear();

    const hitA = await request(t.server).get('/user/profile').set(alice).expect(200);
    expect(intercept).not.toHaveBeenCalled();
    expect(hitA.headers['x-cache']).toBe('HIT');
    expect(hitA.text).toBe(missA.text);

    const missB = await request(t.server).get('/user/profile').set(bob).expect(200);
    expect(intercept).toHaveBeenCalledTimes(1);
    expect(missB.headers['x-cache']).toBe('MISS');
    expect(missB.text).toContain(bob.userId);
    expect(missB.text).not.toContain(alice.userId);

    // An explicitly public entry is shared: a caller with a token gets it from the fast path.
    await request(t.server).get('/templates').expect(200);
    intercept.mockClear();
    const shared = await request(t.server).get('/templates').set(alice).expect(200);
    expect(shared.headers['x-cache']).toBe('HIT');
    expect(intercept).not.toHaveBeenCalled();
  });

  it('should leave tokens the guard refuses, cookies, undeclared params and misses to Nest', async () => {
    await request(t.server).get('/templates').expect(200);
    await request(t.server).get('/user/profile').set(t.auth()).expect(200);
    intercept.mockClear();

    // The guard answers: the fast path never serves a request it would refuse.
    await request(t.server).get('/templates').set('Authorization', 'Bearer not-a-jwt').expect(401);
    await request(t.server).get('/templates').set('Authorization', 'Basic abc').expect(401);
    await request(t.server).get('/user/profile').expect(401);
    expect(intercept).not.toHaveBeenCalled();

    await request(t.server).get('/templates').set('Cookie', 'session=1').expect(200);
    // An undeclared param reaches Nest, where the list's query pipe answers 400.
    await request(t.server).get('/templates?junk=1').expect(400);
    await request(t.server).get('/agents/00000000-0000-4000-8000-000000000000').expect(404);

    expect(intercept).toHaveBeenCalledTimes(3);
  });

  it('should not serve a URL it remembers once the entry is invalidated', async () => {
    await request(t.server).get('/templates').expect(200);
    const hit = await request(t.server).get('/templates').expect(200);
    expect(hit.headers['x-cache']).toBe('HIT');
    intercept.mockClear();

    await request(t.server)
      .post('/cache/invalidate')
      .set(t.auth('admin'))
      .send({ tags: ['templates'] })
      .expect(200);
    const after = await request(t.server).get('/templates').expect(200);

    expect(after.headers['x-cache']).toBe('MISS');
    expect(intercept).toHaveBeenCalledTimes(1);
  });

  it('should answer 304 on the fast path for a matching If-None-Match', async () => {
    const first = await request(t.server).get('/templates').expect(200);
    const res = await request(t.server)
      .get('/templates')
      .set('If-None-Match', String(first.headers.etag))
      .expect(304);
    expect(res.text).toBe('');
  });
});
