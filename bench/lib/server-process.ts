import { ChildProcess, spawn } from 'node:child_process';
import { freePort } from '../../test/helpers/spawn-app';
import { compiledEntry } from './compiled-entries';
import { cpuMicrosOf, CpuSplit, cpuSplitOf, peakRssBytesOf } from './proc-stats';

const BOOT_TIMEOUT_MS = 90_000;

/** A server the bench runs in a child process of its own (own core, heap and CPU counters). */
export interface ServerProcess {
  label: string;
  pid: number;
  baseUrl: string;
  /** CPU time (user + system) the process has used so far, in microseconds. */
  cpuMicros(): number;
  /** The same, split into user and system time. */
  cpuSplit(): CpuSplit;
  /** Its peak resident set size so far (VmHWM), in bytes. */
  peakRssBytes(): number;
  get<T>(path: string, headers?: Record<string, string>): Promise<T>;
  stop(): Promise<void>;
}

/** Options of {@link startServerProcess}. */
export interface ServerProcessOptions {
  /** Flags for the child's node, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** Command prefix, e.g. `['taskset', '-c', '0']` from `pinCores`. */
  prefix?: string[];
  /**
   * How the bench learns the server is up. Default: the child prints `{"port":...}` as a JSON
   * line on stdout (the bench fixtures). With `readyPath`, the bench picks a free port, passes
   * it as `PORT`, and polls the path until it answers 200 (the app's `src/main.ts`); the
   * child's stdout (its logs) then goes to /dev/null.
   */
  readyPath?: string;
}

function portFromStdout(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line) {
        resolve((JSON.parse(line) as { port: number }).port);
      }
    });
  });
}

async function pollUntilOk(url: string, child: ChildProcess): Promise<void> {
  while (child.exitCode === null && child.signalCode === null) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Resolves with the port once booted; rejects on exit or after the boot timeout. */
function booted(child: ChildProcess, label: string, ready: Promise<number>): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${label}: not up after ${BOOT_TIMEOUT_MS} ms`)),
      BOOT_TIMEOUT_MS,
    );
    child.once('exit', (code) => reject(new Error(`${label} exited with ${code} while booting`)));
  });
  return Promise.race([ready, failed]).finally(() => clearTimeout(timer));
}

/**
 * Runs `entry` (a `.ts` file, compiled to JavaScript first like every bench server: see
 * `compileServers`) with `env` over this process's environment. Its stderr is passed through.
 */
export async function startServerProcess(
  label: string,
  entry: string,
  env: Record<string, string | undefined>,
  options: ServerProcessOptions = {},
): Promise<ServerProcess> {
  const { nodeArgs = [], prefix = [], readyPath } = options;
  const merged: NodeJS.ProcessEnv = { ...process.env };
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) {
      delete merged[key];
    } else {
      merged[key] = value;
    }
  }
  const fixedPort = readyPath ? await freePort() : undefined;
  if (fixedPort !== undefined) {
    merged.PORT = String(fixedPort);
    merged.HOST = '127.0.0.1';
  }
  const command = [...prefix, process.execPath, ...nodeArgs, compiledEntry(entry)];
  const child = spawn(command[0], command.slice(1), {
    env: merged,
    stdio: ['ignore', readyPath ? 'ignore' : 'pipe', 'inherit'],
  });
  const pid = child.pid;
  if (pid === undefined) {
    throw new Error(`${label}: could not spawn ${entry}`);
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let port: number;
  try {
    port = await booted(
      child,
      label,
      fixedPort === undefined
        ? portFromStdout(child)
        : pollUntilOk(`http://127.0.0.1:${fixedPort}${readyPath}`, child).then(() => fixedPort),
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    label,
    // `taskset -c N node ...` execs node in place: the pid is the server's.
    pid,
    baseUrl,
    cpuMicros: () => cpuMicrosOf(pid),
    cpuSplit: () => cpuSplitOf(pid),
    peakRssBytes: () => peakRssBytesOf(pid),
    get: async <T>(path: string, headers?: Record<string, string>): Promise<T> => {
      const response = await fetch(`${baseUrl}${path}`, { headers });
      if (response.status !== 200) {
        throw new Error(`${label} ${path}: status ${response.status}`);
      }
      return (await response.json()) as T;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timeout = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timeout);
      }
    },
  };
}
