import { readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** What a data directory's `postmaster.pid` says about the PostgreSQL that holds it. */
export interface PostmasterLock {
  pid: number;
  port: number;
  /** `starting`, `ready`, `stopping`, ... (empty on servers that do not write it). */
  status: string;
}

/**
 * The live postmaster named by `dataDir/postmaster.pid`, or undefined when there is no lock file
 * or it is stale (its process is gone). The file's lines are fixed by PostgreSQL: pid, data
 * directory, start time, port, socket directory, listen address, shared memory key, status.
 */
export function livePostmaster(dataDir: string): PostmasterLock | undefined {
  let text: string;
  try {
    text = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) {
    return undefined;
  }
  return isAlive(pid) ? { pid, port, status: (lines[7] ?? '').trim() } : undefined;
}

/** Whether something accepts TCP connections on the loopback port. */
export function acceptsConnections(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1', timeout: timeoutMs });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/**
 * Waits for the server another process runs in `dataDir` to accept connections on `port`; false
 * when none does within `timeoutMs`. A server of that directory on another port is a boot error:
 * joining it would ignore `DATABASE__EMBEDDED_PORT`.
 */
export async function waitForPostmaster(
  dataDir: string,
  port: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lock = livePostmaster(dataDir);
    if (lock && lock.port !== port) {
      throw new Error(
        `Embedded PostgreSQL in ${dataDir} already runs on port ${lock.port} (pid ${lock.pid}), not on DATABASE__EMBEDDED_PORT ${port}`,
      );
    }
    if (lock && ['ready', ''].includes(lock.status) && (await acceptsConnections(port))) {
      return true;
    }
    if (Date.now() >= deadline) {
      return false;
    }
    await sleep(250);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but run by another user (the `postgres` user when this process is root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
