import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A real `src/main.ts` (or `src/worker.ts`) process (ts-node, transpile-only), as `npm start` runs it. */
export interface SpawnedApp {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Options of {@link spawnApp}. */
export interface SpawnOptions {
  /**
   * Start from this process's environment (the test runner's settings) and merge `env` over it;
   * false gives the child `env` alone (plus PATH), as a container or a bare shell would.
   * @default true
   */
  inheritEnv?: boolean;
  /**
   * The entry point: `main` (the API, `npm start`) or `worker` (`npm run start:worker`).
   * @default 'main'
   */
  entry?: 'main' | 'worker';
  /**
   * Run the build (`dist/<entry>.js`, as `npm start` does) instead of the sources through ts-node:
   * faster to boot and to serve. The caller builds first.
   * @default false
   */
  compiled?: boolean;
}

/**
 * Starts the service in a child process with the given environment (merged over ours).
 * `SPAWN_APP_NODE_ARGS` adds node flags to the child, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`
 * to profile the app under a fault test (NODE_OPTIONS refuses `--cpu-prof`).
 */
export function spawnApp(
  env: Record<string, string | undefined>,
  { inheritEnv = true, entry = 'main', compiled = false }: SpawnOptions = {},
): SpawnedApp {
  let output = '';
  const merged: NodeJS.ProcessEnv = inheritEnv ? { ...process.env } : { PATH: process.env.PATH };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) {
      delete merged[key];
    } else {
      merged[key] = value;
    }
  }
  const program = compiled
    ? [join(ROOT, 'dist', `${entry}.js`)]
    : ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', `${entry}.ts`)];
  const child = spawn(
    process.execPath,
    [...(process.env.SPAWN_APP_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...program],
    { cwd: ROOT, env: merged, stdio: 'pipe' },
  );
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls a URL until it answers with the status, or fails after the timeout. */
export async function waitForStatus(url: string, status: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.status === status) {
        return;
      }
      last = `status ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}

/** Spawns the API on a free port and waits until it is live; a boot failure shows its output. */
export async function spawnLiveApp(
  env: Record<string, string | undefined>,
): Promise<{ app: SpawnedApp; baseUrl: string }> {
  const port = await freePort();
  const app = spawnApp({ ...env, PORT: String(port) });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForStatus(`${baseUrl}/health/live`, 200, 60000).catch((error) => {
    app.child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${app.output().slice(-3000)}`);
  });
  return { app, baseUrl };
}
