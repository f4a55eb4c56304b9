import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import Redis from 'ioredis';
import { deleteKeys } from '../../fixtures/queues/worker-process';
import { freePort, SpawnedApp, spawnApp, waitForStatus } from '../../helpers/spawn-app';
import { TEST_REDIS_URL } from '../../setup/test-env';

const JWT_SECRET = 'embedded-worker-test-secret-0123456789abcdef';

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

/** Fails with the process's output when `promise` rejects, so a boot failure explains itself. */
async function explained<T>(promise: Promise<T>, proc: SpawnedApp): Promise<T> {
  return promise.catch((error: Error) => {
    throw new Error(`${error.message}\n--- output ---\n${proc.output().slice(-4000)}`);
  });
}

/**
 * `npm run start:worker` beside `npm start`, neither with DATABASE__URL: the API starts the
 * embedded PostgreSQL, the worker joins it, and only the API stops it.
 */
describe('a worker beside npm start on the same embedded PostgreSQL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agentic-embedded-worker-'));
  const prefix = `${process.env.REDIS__KEY_PREFIX ?? 'agentic_test'}_embworker_${Date.now().toString(36)}`;
  const spawned: SpawnedApp[] = [];

  afterAll(async () => {
    for (const proc of spawned) {
      if (proc.child.exitCode === null) {
        proc.child.kill('SIGKILL');
      }
    }
    // A killed API leaves its PostgreSQL running: stop the server this test started.
    const lockFile = join(dataDir, 'postmaster.pid');
    if (existsSync(lockFile)) {
      try {
        process.kill(Number(readFileSync(lockFile, 'utf8').split('\n')[0]), 'SIGINT');
      } catch {
        // already gone
      }
    }
    const redis = new Redis(TEST_REDIS_URL);
    await deleteKeys(redis, prefix);
    await redis.quit();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should run tasks on the worker, and leave stopping PostgreSQL to the API', async () => {
    const [apiPort, workerPort, databasePort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const env = {
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      MONITORING__WORKER_PORT: String(workerPort),
      DATABASE__EMBEDDED_DIR: dataDir,
      DATABASE__EMBEDDED_PORT: String(databasePort),
      REDIS__KEY_PREFIX: prefix,
      AUTH__JWT_SECRET: JWT_SECRET,
      MONITORING__SHUTDOWN_DRAIN_MS: '300',
    };
    const api = spawnApp({ ...env, QUEUES__PROCESS: 'false' }, { inheritEnv: false });
    spawned.push(api);
    const base = `http://127.0.0.1:${apiPort}`;
    await explained(waitForStatus(`${base}/health/ready`, 200, 120_000), api);

    const worker = spawnApp(
      { ...env, QUEUES__PROCESS: 'true' },
      { inheritEnv: false, entry: 'worker' },
    );
    spawned.push(worker);
    await explained(
      waitForStatus(`http://127.0.0.1:${workerPort}/health/ready`, 200, 60_000),
      worker,
    );
    expect(worker.output()).toContain('using the embedded PostgreSQL another process runs');

    // The API only enqueues (QUEUES__PROCESS=false): the worker runs the task.
    const token = new JwtService({ secret: JWT_SECRET }).sign(
      { role: 'user' },
      { subject: randomUUID(), expiresIn: 600, algorithm: 'HS256' },
    );
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const accepted = await fetch(`${base}/compute`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ numbers: [1, 2, 3, 4], iterations: 1 }),
    });
    expect(accepted.status).toBe(202);
    const { task_id: taskId } = (await accepted.json()) as { task_id: string };
    const deadline = Date.now() + 30_000;
    let task: { status?: string; result?: { sum?: number } } = {};
    while (task.status !== 'completed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      task = (await (await fetch(`${base}/compute/${taskId}`, { headers })).json()) as typeof task;
    }
    expect(task).toMatchObject({ status: 'completed', result: { sum: 10 } });

    // The worker stops; the API and the database it started keep running.
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await listening(databasePort)).toBe(true);
    const agents = await fetch(`${base}/agents?size=1`);
    expect(agents.status).toBe(200);
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);

    // The API stops after its drain, and stops the database with it.
    api.child.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(await listening(databasePort)).toBe(false);
    expect(api.output()).toContain('Drain finished');
  }, 240_000);
});
