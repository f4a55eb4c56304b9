import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPackageInfo } from '../../../src/config';
import { freePort, spawnApp, waitForStatus } from '../../helpers/spawn-app';

describe('Boot (e2e, real process)', () => {
  it('should exit non-zero naming each bad key and never its value', async () => {
    const app = spawnApp({ DATABASE__POOL_SIZE: 'zz9-not-a-number', PORT: 'qq7-port' });
    const code = await app.exited;
    expect(code).not.toBe(0);
    expect(app.output()).toMatch(/DATABASE__POOL_SIZE: .*integer/);
    expect(app.output()).toMatch(/PORT: .*integer/);
    expect(app.output()).not.toContain('zz9-not-a-number');
    expect(app.output()).not.toContain('qq7-port');
  }, 30000);

  it('should refuse development secrets and an open /metrics in production, naming each key', async () => {
    const app = spawnApp({
      NODE_ENV: 'production',
      // The values committed in .env.development (production never reads that file).
      AUTH__JWT_SECRET: 'dev-only-jwt-secret-change-me-0123456789abcdef',
      PAGINATION__CURSOR_SECRET: 'dev-only-cursor-secret-change-me-0123456789abcdef',
      MONITORING__METRICS_TOKEN: undefined,
      MONITORING__METRICS_PUBLIC: undefined,
    });
    const code = await app.exited;
    expect(code).toBe(1);
    expect(app.output()).toMatch(/AUTH__JWT_SECRET: is a development, test or placeholder value/);
    expect(app.output()).toMatch(/PAGINATION__CURSOR_SECRET: is a development/);
    expect(app.output()).toMatch(/MONITORING__METRICS_TOKEN: is required when NODE_ENV=production/);
    expect(app.output()).not.toContain('0123456789abcdef');
  }, 30000);

  it('should start on embedded PostgreSQL when DATABASE__URL is not set', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agentic-embedded-'));
    // PostgreSQL runs as the `postgres` user when the tests run as root: it must reach the folder.
    chmodSync(dataDir, 0o755);
    const [port, pgPort] = [await freePort(), await freePort()];
    const app = spawnApp({
      DATABASE__URL: undefined,
      DATABASE__EMBEDDED_DIR: join(dataDir, 'pg'),
      DATABASE__EMBEDDED_PORT: String(pgPort),
      DATABASE__RUN_MIGRATIONS: 'true',
      PORT: String(port),
      LOG_LEVEL: 'info',
    });
    try {
      await waitForStatus(`http://127.0.0.1:${port}/docs-json`, 200, 60000).catch((error) => {
        throw new Error(`${(error as Error).message}\n${app.output().slice(-3000)}`);
      });
      // main.ts documents the version of package.json (0.0.0 before).
      const document = (await (await fetch(`http://127.0.0.1:${port}/docs-json`)).json()) as {
        info: { version: string };
      };
      expect(document.info.version).toBe(readPackageInfo().version);
      expect(document.info.version).not.toBe('0.0.0');
      const agents = await fetch(`http://127.0.0.1:${port}/agents`);
      expect(agents.status).toBe(200);
      expect(app.output()).toContain('DATABASE__URL is not set: using embedded PostgreSQL');
    } finally {
      app.child.kill('SIGTERM');
      await app.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90000);
});
