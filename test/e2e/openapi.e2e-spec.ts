import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { createTestApp, TestApp } from '../helpers/test-app';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

describe('OpenAPI document (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should pass redocly lint with no errors', async () => {
    const res = await request(t.server).get('/docs-json').expect(200);
    const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(res.body));
    try {
      // redocly exits non-zero when the document has errors (warnings are reported, not fatal).
      await run(
        join(ROOT, 'node_modules', '.bin', 'redocly'),
        ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'stylish'],
        {
          cwd: ROOT,
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      ).catch((error: { stdout?: string; stderr?: string }) => {
        throw new Error(`redocly lint failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60000);

  it('should document the bearer scheme and the domain routes', async () => {
    const res = await request(t.server).get('/docs-json').expect(200);
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ scheme: 'bearer' });
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/agents',
        '/agents/{id}',
        '/agents/batch',
        '/templates',
        '/user/profile',
      ]),
    );
  });
});

type Operation = { responses: Record<string, { headers?: Record<string, unknown> }> };
type Paths = Record<string, Record<string, Operation>>;

describe('OpenAPI error statuses (e2e)', () => {
  let t: TestApp;
  let paths: Paths;

  beforeAll(async () => {
    // The probes below would fill the run's shared response cache (GET /templates, ...), which
    // other files expect to find empty; this app answers them uncached.
    process.env.CACHING__ENABLED = 'false';
    t = await createTestApp();
    paths = (await request(t.server).get('/docs-json').expect(200)).body.paths as Paths;
  });

  afterAll(async () => {
    await t.close();
    delete process.env.CACHING__ENABLED;
  });

  const statuses = (path: string, method: string) =>
    Object.keys(paths[path][method].responses).map(Number);

  it.each([
    ['/agents/{id}', 'get', [200, 400, 404, 414, 503], [401, 403, 413, 415]],
    ['/agents/{id}', 'put', [200, 400, 401, 403, 404, 413, 414, 415, 503], []],
    ['/agents', 'get', [200, 400, 429, 503], [401, 404, 413]],
    ['/agents/batch', 'post', [201, 400, 401, 413, 415, 503], [403, 404]],
    ['/tools', 'get', [200, 400, 503], [401]],
    ['/tools', 'post', [201, 400, 401, 403, 409, 413, 415, 503], [404]],
    ['/templates/{id}', 'delete', [204, 400, 401, 403, 404, 414, 503], []],
    ['/compute/{task_id}', 'get', [200, 400, 401, 404, 414, 503], [403]],
    ['/info', 'get', [200], [400, 401, 503]],
    ['/health/live', 'get', [200, 503], [400, 401, 429]],
  ])('should list the statuses %s %s can answer', (path, method, present, absent) => {
    expect(statuses(path, method)).toEqual(expect.arrayContaining(present));
    for (const status of absent) {
      expect(statuses(path, method)).not.toContain(status);
    }
  });

  it('should give 503 a Retry-After header, keeping a route own description of a status', () => {
    expect(paths['/agents'].get.responses['503'].headers).toHaveProperty('Retry-After');
    expect(paths['/agents'].get.responses['429'].headers).toHaveProperty('Retry-After');
    // The probes document their own 503 (not ready), without Retry-After.
    expect(paths['/health/ready'].get.responses['503'].headers).toBeUndefined();
  });

  /** Requests every documented operation with bad input; each answer must be documented. */
  it('should answer only documented statuses to bad input on every route', async () => {
    const admin = t.auth('admin');
    const undocumented: string[] = [];
    const probes: Array<{ label: string; send: () => request.Test; path: string; method: string }> =
      [];
    for (const [path, operations] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const url = (value: string) => path.replace(/\{[^}]+\}/g, value);
        const call = (target: string) =>
          (request(t.server) as unknown as Record<string, (u: string) => request.Test>)[method](
            target,
          );
        const hasParams = path.includes('{');
        const hasBody = ['post', 'put', 'patch'].includes(method);
        const add = (label: string, send: () => request.Test) =>
          probes.push({ label, send, path, method });
        add('no token', () => call(url('00000000-0000-4000-8000-000000000000')));
        if (hasParams) {
          add('malformed id', () => call(url('not-a-uuid')).set(admin));
          add('overlong id', () => call(url('a'.repeat(150))).set(admin));
        }
        if (hasBody) {
          add('form body', () =>
            call(url('00000000-0000-4000-8000-000000000000'))
              .set(admin)
              .set('Content-Type', 'application/x-www-form-urlencoded')
              .send('a=1'),
          );
          add('malformed JSON', () =>
            call(url('00000000-0000-4000-8000-000000000000'))
              .set(admin)
              .set('Content-Type', 'application/json')
              .send('{"a":'),
          );
        }
        if (operation.responses['400'] && method === 'get' && !hasParams) {
          add('unknown query parameter', () => call(`${url('x')}?size=1000000&junk=1`).set(admin));
        }
      }
    }
    for (const probe of probes) {
      const res = await probe.send();
      const documented = Object.keys(paths[probe.path][probe.method].responses);
      if (!documented.includes(String(res.status))) {
        undocumented.push(
          `${probe.method.toUpperCase()} ${probe.path} (${probe.label}): ${res.status}`,
        );
      }
    }
    expect(probes.length).toBeGreaterThan(100);
    expect(undocumented).toEqual([]);
  }, 60000);
});
