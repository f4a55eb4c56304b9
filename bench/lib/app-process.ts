import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { startBenchApp } from './bench-app';
import { prepareBenchEnv } from './bench-env';

/** An app instance running in a child process of its own. */
export interface AppProcess {
  baseUrl: string;
  close(): Promise<void>;
}

/**
 * Boots the app in a child process with `env` added to this process's environment (call after
 * prepareBenchDatabase, which sets DATABASE__URL). Use it to compare two configurations: two
 * instances in one process share the event loop and the JIT's view of shared code, which skews
 * A/B numbers.
 */
export function spawnBenchApp(env: Record<string, string>): Promise<AppProcess> {
  // BENCH_APP_NODE_ARGS: flags for the child's node, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p` or
  // `--trace-gc` (NODE_OPTIONS does not take --cpu-prof).
  const nodeArgs = process.env.BENCH_APP_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const args = [...nodeArgs, '-r', 'ts-node/register/transpile-only', __filename];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('error', reject);
    void exited.then(() => reject(new Error(`bench app process exited: ${output.trim()}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /^(http:\/\/\S+)\n/m.exec(output)?.[1];
      if (url) {
        resolve({ baseUrl: url, close });
      }
    });
  });
}

// Child side: boot, print the base URL, close on SIGTERM.
if (require.main === module) {
  prepareBenchEnv();
  startBenchApp().then(
    (app) => {
      process.stdout.write(`${app.baseUrl}\n`);
      process.once('SIGTERM', () => void app.close().finally(() => process.exit(0)));
    },
    (error: unknown) => {
      process.stderr.write(`bench app process: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
