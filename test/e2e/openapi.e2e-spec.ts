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
