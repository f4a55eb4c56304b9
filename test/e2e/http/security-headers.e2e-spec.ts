import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { BOARD_PATH } from '../../../src/queues';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { cspAllows, pageReferences, parseCsp } from '../../helpers/csp';

const ALLOWED = 'https://app.example.com';
const OTHER = 'https://evil.example.net';
const PACKAGE_VERSION = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

describe('Security headers and CORS (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    process.env.HTTP__CORS_ORIGINS = `${ALLOWED}, http://localhost:5173`;
    process.env.HTTP__CORS_MAX_AGE_S = '900';
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
    delete process.env.HTTP__CORS_ORIGINS;
    delete process.env.HTTP__CORS_MAX_AGE_S;
  });

  it('should send the API headers on a JSON response: nothing loads, nothing frames, HSTS', async () => {
    const res = await request(t.server).get('/templates').set(t.auth()).expect(200);

    expect(parseCsp(res.headers['content-security-policy'])).toMatchObject({
      'default-src': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
    expect(res.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'cross-origin-resource-policy': 'same-origin',
    });
    expect(res.headers['x-powered-by']).toBeUndefined();
    // Document-only headers are the pages' (OWASP REST Security Cheat Sheet).
    expect(res.headers['x-xss-protection']).toBeUndefined();
    expect(res.headers['referrer-policy']).toBeUndefined();
  });

  it('should send the API headers on errors too (401, 404)', async () => {
    for (const path of ['/user/profile', '/no-such-route']) {
      const res = await request(t.server).get(path);
      expect([401, 404]).toContain(res.status);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    }
  });

  it.each([
    ['Swagger UI', '/docs', {}],
    ['bull-board', BOARD_PATH, { admin: true }],
  ])(
    'should let %s load everything its page references under its CSP',
    async (_name, path, { admin }: { admin?: boolean }) => {
      const headers = admin ? t.auth('admin') : {};
      const res = await request(t.server).get(path).set(headers).redirects(1).expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      const csp = parseCsp(res.headers['content-security-policy']);
      const references = pageReferences(res.text, `http://localhost${path}`);
      // Enough to be sure the page was parsed: scripts and styles of both pages.
      expect(references.filter((r) => r.directive === 'script-src').length).toBeGreaterThan(0);
      expect(references.filter((r) => r.directive === 'style-src').length).toBeGreaterThan(0);

      const blocked = references.filter((ref) => !cspAllows(csp, ref, 'http://localhost'));
      expect(blocked).toEqual([]);
      // Same-origin scripts and stylesheets are served (not blocked by the auth hook or helmet).
      for (const ref of references.filter(
        (r) => r.url?.startsWith('http://localhost/') && r.directive !== 'img-src',
      )) {
        const asset = await request(t.server)
          .get(new URL(ref.url as string).pathname)
          .set(headers);
        expect(`${ref.url}: ${asset.status}`).toBe(`${ref.url}: 200`);
      }
      // The page policy stays strict where the pages need nothing.
      expect(csp['script-src']).toEqual(["'self'"]);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      // Pages get helmet's full set, document-only headers included.
      expect(res.headers).toMatchObject({
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'x-frame-options': 'DENY',
      });
    },
  );

  it('should turn off the Swagger UI validator badge (an image from validator.swagger.io)', async () => {
    const init = await request(t.server).get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toMatch(/"validatorUrl":\s*null/);
  });

  it('should refuse an inline script and a foreign script under the page CSP (the checker can fail)', () => {
    const csp = parseCsp(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com",
    );
    const refs = pageReferences(
      '<script>alert(1)</script><script src="https://cdn.example.com/x.js"></script>' +
        '<script type="application/json">{}</script><link rel="stylesheet" href="https://fonts.googleapis.com/css2">',
      'http://localhost/docs',
    );
    expect(refs.map((ref) => cspAllows(csp, ref, 'http://localhost'))).toEqual([
      false,
      false,
      true,
    ]);
  });

  it('should answer a preflight from an allowed origin with the CORS headers, cached', async () => {
    const res = await request(t.server)
      .options('/agents')
      .set('Origin', ALLOWED)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');

    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(res.headers['access-control-allow-headers']?.toLowerCase()).toContain('authorization');
    expect(res.headers['access-control-max-age']).toBe('900');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers.vary).toMatch(/Origin/i);
  });

  it('should give a preflight and a request from another origin no CORS header', async () => {
    const preflight = await request(t.server)
      .options('/agents')
      .set('Origin', OTHER)
      .set('Access-Control-Request-Method', 'POST');
    const get = await request(t.server).get('/templates').set(t.auth()).set('Origin', OTHER);

    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('should let an allowed origin read the response and its request id', async () => {
    const res = await request(t.server).get('/templates').set(t.auth()).set('Origin', ALLOWED);

    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
    expect(res.headers['access-control-expose-headers']).toContain('x-request-id');
    // Every rate-limit field the limiter sends (draft-6) is readable by the browser client.
    const exposed = String(res.headers['access-control-expose-headers'])
      .split(',')
      .map((name) => name.trim());
    expect(exposed).toEqual(
      expect.arrayContaining([
        'ratelimit-policy',
        'ratelimit-limit',
        'ratelimit-remaining',
        'ratelimit-reset',
        'retry-after',
      ]),
    );
  });

  it('should give the OpenAPI document the version of package.json', async () => {
    const res = await request(t.server).get('/docs-json').expect(200);
    expect(PACKAGE_VERSION).toMatch(/^\d+\.\d+\.\d+/);
    expect(res.body.info.version).toBe(PACKAGE_VERSION);
  });
});

describe('CORS by default (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should answer no origin: CORS is off until HTTP__CORS_ORIGINS names one', async () => {
    const preflight = await request(t.server)
      .options('/agents')
      .set('Origin', ALLOWED)
      .set('Access-Control-Request-Method', 'GET');
    const get = await request(t.server).get('/templates').set(t.auth()).set('Origin', ALLOWED);

    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    expect(get.headers['access-control-allow-credentials']).toBeUndefined();
  });
});
