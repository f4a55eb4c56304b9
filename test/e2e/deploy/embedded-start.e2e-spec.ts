import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, spawnApp, waitForStatus } from '../../helpers/spawn-app';

/** Whether something accepts TCP connections on the loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * `npm start` on a machine with no database: the app runs embedded PostgreSQL. The environment is
 * what `npm start` sees (the committed .env.development, nothing from the test runner), except
 * the ports and the data directory, which must not collide with a developer's own `npm start`.
 */
describe('npm start with embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentic-embedded-'));
  let child: ChildProcess | undefined;

  afterAll(() => {
    if (child && child.exitCode === null) {
      child.kill('SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should drain on SIGTERM, then stop PostgreSQL and exit 0 with no error logged', async () => {
    const [port, databasePort] = [await freePort(), await freePort()];
    const app = spawnApp(
      {
        HOME: process.env.HOME,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE__EMBEDDED_DIR: dataDir,
        DATABASE__EMBEDDED_PORT: String(databasePort),
        REDIS__KEY_PREFIX: `${process.env.REDIS__KEY_PREFIX ?? 'agentic_test'}_embedded`,
        MONITORING__SHUTDOWN_DRAIN_MS: '1500',
      },
      { inheritEnv: false },
    );
    child = app.child;
    const { output, exited } = app;
    const base = `http://127.0.0.1:${port}`;
    await waitForStatus(`${base}/health/ready`, 200, 120_000).catch((error: Error) => {
      throw new Error(`${error.message}\n--- app output ---\n${output().slice(-4000)}`);
    });
    expect(await listening(databasePort)).toBe(true);

    // Requests keep flowing during the drain: each one must get an answer from the database.
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    const statuses: number[] = [];
    while (Date.now() - signalledAt < 1000) {
      const res = await fetch(`${base}/agents?size=1`);
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    const code = await exited;

    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(code).toBe(0);
    // PostgreSQL was stopped by the app after the drain, not left running and not killed first.
    expect(await listening(databasePort)).toBe(false);
    const errors = output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg?: string })
      .filter((entry) => entry.level >= 50);
    expect(errors).toEqual([]);
    expect(output()).toContain('Drain finished');
  }, 180_000);
});
