import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { RedisServer } from '../../fixtures/caching/redis-server';
import {
  composeServiceEnv,
  interpolate,
  MissingComposeVariableError,
} from '../../helpers/compose-env';
import { freePort, spawnApp, waitForStatus } from '../../helpers/spawn-app';
import { ADMIN_DATABASE_URL } from '../../setup/test-env';

const ROOT = join(__dirname, '..', '..', '..');
const COMPOSE_FILE = join(ROOT, 'docker-compose.yml');

/** What an operator exports before `docker compose up`, as the file's header says: nothing else. */
const OPERATOR_SHELL = {
  AUTH__JWT_SECRET: randomBytes(32).toString('hex'),
  PAGINATION__CURSOR_SECRET: randomBytes(32).toString('hex'),
  MONITORING__METRICS_TOKEN: randomBytes(32).toString('hex'),
};

/**
 * The image's own `ENV` lines (Dockerfile, runtime stage) that compose does not override; the
 * container sees them too.
 */
const IMAGE_ENV = { HOST: '0.0.0.0', MONITORING__GIT_REVISION: 'unknown' };

describe('docker-compose.yml', () => {
  it('should refuse to start without the secrets, naming each one', () => {
    // docker compose interpolates only from the shell (and a `.env` file, which the repository
    // no longer has: its development defaults live in .env.development).
    expect(() => composeServiceEnv(COMPOSE_FILE, 'app', {})).toThrow(MissingComposeVariableError);
    try {
      composeServiceEnv(COMPOSE_FILE, 'app', {});
    } catch (error) {
      const names = (error as MissingComposeVariableError).missing.map(({ name }) => name);
      expect(names.sort()).toEqual([
        'AUTH__JWT_SECRET',
        'MONITORING__METRICS_TOKEN',
        'PAGINATION__CURSOR_SECRET',
      ]);
    }
  });

  it('should give the worker the API environment with queue processing on, migrations and the management port off', () => {
    const app = composeServiceEnv(COMPOSE_FILE, 'app', OPERATOR_SHELL);
    const worker = composeServiceEnv(COMPOSE_FILE, 'worker', OPERATOR_SHELL);

    expect(app).toMatchObject({ QUEUES__PROCESS: 'false', DATABASE__RUN_MIGRATIONS: 'true' });
    // The management port is the API's own listener (the worker has MONITORING__WORKER_PORT).
    const { MONITORING__MANAGEMENT_PORT: _management, ...shared } = app;
    expect(worker).toEqual({
      ...shared,
      QUEUES__PROCESS: 'true',
      DATABASE__RUN_MIGRATIONS: 'false',
    });
  });

  it('should interpolate like compose: defaults, required values and $$', () => {
    const missing: Array<{ name: string; message: string }> = [];
    expect(interpolate('${A:-x}/${B-y}/${C}/$$D', { B: '' }, missing)).toBe('x///$D');
    expect(interpolate('${E:?needed}', { E: '' }, missing)).toBe('');
    expect(missing).toEqual([{ name: 'E', message: 'needed' }]);
  });

  describe('the app with exactly the `app` service environment', () => {
    const redis = new RedisServer();
    const database = `agentic_compose_${randomBytes(4).toString('hex')}`;
    let child: ChildProcess | undefined;
    let baseUrl = '';

    beforeAll(async () => {
      await redis.start();
      const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
      await admin.connect();
      try {
        // The compose database user. Creating it races other runs; one of them wins.
        await admin
          .query(`CREATE ROLE agentic LOGIN PASSWORD 'agentic-local-only'`)
          .catch((error: { code?: string }) => {
            if (error.code !== '42710' && error.code !== '23505') {
              throw error;
            }
          });
        await admin.query(`CREATE DATABASE ${database} OWNER agentic`);
      } finally {
        await admin.end();
      }
    });

    afterAll(async () => {
      if (child && child.exitCode === null) {
        child.kill('SIGKILL');
      }
      await redis.stop();
      const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    });

    it('should boot, migrate, reach ready, serve the API and drain on SIGTERM', async () => {
      const port = await freePort();
      const managementPort = await freePort();
      const compose = composeServiceEnv(COMPOSE_FILE, 'app', OPERATOR_SHELL);
      // Only the network differs from a container: service names become this machine's
      // servers, the container port a free one on loopback. Every other key is the file's.
      const databaseUrl = new URL(compose.DATABASE__URL);
      expect(databaseUrl.host).toBe('postgres:5432');
      const admin = new URL(ADMIN_DATABASE_URL);
      databaseUrl.host = admin.host;
      databaseUrl.pathname = `/${database}`;
      expect(compose.REDIS__URL).toBe('redis://redis:6379');
      expect(compose.PORT).toBe('3000');
      expect(compose.MONITORING__MANAGEMENT_PORT).toBe('9000');
      const env = {
        ...IMAGE_ENV,
        ...compose,
        DATABASE__URL: databaseUrl.toString(),
        REDIS__URL: redis.url,
        PORT: String(port),
        MONITORING__MANAGEMENT_PORT: String(managementPort),
        HOST: '127.0.0.1',
      };
      baseUrl = `http://127.0.0.1:${port}`;
      const managementUrl = `http://127.0.0.1:${managementPort}`;

      // Nothing of the test runner's environment (only PATH, to find node's binaries).
      const app = spawnApp(env, { inheritEnv: false });
      child = app.child;
      const output = app.output;
      const exited = app.exited;

      await waitForStatus(`${baseUrl}/health/ready`, 200, 90_000).catch((error: Error) => {
        throw new Error(`${error.message}\n--- app output ---\n${output().slice(-4000)}`);
      });
      const agents = await fetch(`${baseUrl}/agents?size=1`);
      expect(agents.status).toBe(200);
      expect(await agents.json()).toMatchObject({ items: [] });
      // The secrets reach no log line.
      expect(output()).not.toContain(OPERATOR_SHELL.AUTH__JWT_SECRET);
      expect(output()).not.toContain(OPERATOR_SHELL.PAGINATION__CURSOR_SECRET);
      expect(output()).not.toContain(OPERATOR_SHELL.MONITORING__METRICS_TOKEN);
      // /metrics is on the management port only, and answers Prometheus' token only (compose
      // gives Prometheus the same value and scrapes that port).
      expect((await fetch(`${baseUrl}/metrics`)).status).toBe(404);
      expect((await fetch(`${managementUrl}/metrics`)).status).toBe(401);
      const scrape = await fetch(`${managementUrl}/metrics`, {
        headers: { Authorization: `Bearer ${OPERATOR_SHELL.MONITORING__METRICS_TOKEN}` },
      });
      expect(scrape.status).toBe(200);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }, 150_000);
  });
});
