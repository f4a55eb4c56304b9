import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Bull from 'bull';
import Redis from 'ioredis';
import { deleteKeys, waitUntil } from '../../fixtures/queues/worker-process';
import { freePort, waitForStatus } from '../../helpers/spawn-app';
import { TEST_REDIS_URL } from '../../setup/test-env';

const ROOT = join(__dirname, '..', '..', '..');
const METRICS_TOKEN = 'worker-metrics-token-0123456789';

describe('worker process probes and metrics (MONITORING__WORKER_PORT)', () => {
  const prefix = `${process.env.REDIS__KEY_PREFIX ?? 'agentic_test'}_workerhttp_${Date.now().toString(36)}`;
  const redisUrl = process.env.REDIS__URL ?? TEST_REDIS_URL;
  let child: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // `npm run start:worker`, as src/worker.ts under ts-node.
    child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'worker.ts')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          QUEUES__PROCESS: 'true',
          REDIS__KEY_PREFIX: prefix,
          HOST: '127.0.0.1',
          MONITORING__WORKER_PORT: String(port),
          MONITORING__METRICS_TOKEN: METRICS_TOKEN,
          MONITORING__SHUTDOWN_TIMEOUT_MS: '5000',
        },
        stdio: 'pipe',
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    await waitForStatus(`${base}/health/ready`, 200, 45000).catch((error: Error) => {
      throw new Error(`${error.message}\n${output}`);
    });
  });

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    const redis = new Redis(redisUrl);
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  it('should answer liveness, readiness and startup with a status only', async () => {
    for (const path of ['/health/live', '/health/ready', '/health/startup']) {
      const res = await fetch(`${base}${path}`);
      expect({ path, status: res.status, body: await res.json() }).toEqual({
        path,
        status: 200,
        body: { status: 'ok' },
      });
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
    expect((await fetch(`${base}/agents`)).status).toBe(404);
  });

  it('should serve /metrics behind the token, with the job metrics of the jobs it ran', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const queue = new Bull('compute', redisUrl, { prefix: `${prefix}:bull` });
    try {
      await queue.add('heavy_computation', {
        owner_id: randomUUID(),
        numbers: [2, 3, 5],
        iterations: 1,
      });
      let body = '';
      await waitUntil(
        async () => {
          const res = await fetch(`${base}/metrics`, {
            headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
          });
          body = await res.text();
          return /^bull_jobs_completed_total\{queue="compute"\} 1$/m.test(body);
        },
        20000,
        'the completed job in /metrics',
      );

      expect(body).toMatch(/^bull_queue_jobs\{queue="compute",state="completed"\} 1$/m);
      expect(body).toMatch(/^bull_job_duration_seconds_count\{[^}]*queue="compute"[^}]*\} 1$/m);
      expect(body).toMatch(/^db_pool_connections\{/m);
      expect(body).toMatch(/^process_cpu_seconds_total /m);
    } finally {
      await queue.close();
    }
  });

  it('should close the listener and exit 0 on SIGTERM', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${base}/health/live`)).rejects.toThrow();
  });
});
