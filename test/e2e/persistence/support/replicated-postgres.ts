import { execFile } from 'node:child_process';
import { appendFile, chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort } from '../../../helpers/spawn-app';

const run = promisify(execFile);
/** Debian's PostgreSQL binaries (initdb, pg_ctl, pg_basebackup); PG_BIN overrides. */
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
const DATABASE = 'agentic';

/** uid/gid to run the server as: PostgreSQL refuses root, so the `postgres` user then. */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) {
    return undefined;
  }
  const [uid, gid] = await Promise.all([
    run('id', ['-u', 'postgres']).then(({ stdout }) => Number(stdout.trim())),
    run('id', ['-g', 'postgres']).then(({ stdout }) => Number(stdout.trim())),
  ]);
  return { uid, gid };
}

/**
 * A throwaway primary and one streaming replica (`pg_basebackup -R`) on spare loopback ports in a
 * temp dir, for replica tests: pause and resume the replica's replay, stop and start it. Never
 * touches any other server. `destroy()` stops both and removes the dir.
 */
export class ReplicatedPostgres {
  private constructor(
    private readonly dir: string,
    private readonly user: { uid: number; gid: number } | undefined,
    readonly primaryPort: number,
    readonly replicaPort: number,
  ) {}

  get primaryUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.primaryPort}/${DATABASE}`;
  }

  get replicaUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.replicaPort}/${DATABASE}`;
  }

  /** initdb, start the primary, base-backup the replica and start it (a few seconds). */
  static async create(): Promise<ReplicatedPostgres> {
    const dir = await mkdtemp(join(tmpdir(), 'pg-replicas-'));
    const user = await serverUser();
    if (user) {
      await chown(dir, user.uid, user.gid);
    }
    const server = new ReplicatedPostgres(dir, user, await freePort(), await freePort());
    try {
      await server.bin('initdb', [
        '-D',
        server.data('primary'),
        '-U',
        'postgres',
        '-A',
        'trust',
        '--no-sync',
      ]);
      await appendFile(
        join(server.data('primary'), 'postgresql.conf'),
        [
          "listen_addresses = '127.0.0.1'",
          `unix_socket_directories = '${dir}'`,
          'wal_level = replica',
          'max_wal_senders = 4',
          'max_connections = 60',
          'fsync = off',
          'hot_standby = on',
          '',
        ].join('\n'),
      );
      await server.startServer('primary');
      await server.sql(server.primaryPort, `CREATE DATABASE ${DATABASE}`, 'postgres');
      await server.bin('pg_basebackup', [
        ...['-h', '127.0.0.1', '-p', String(server.primaryPort), '-U', 'postgres'],
        ...['-D', server.data('replica'), '-R', '-X', 'stream', '-c', 'fast', '--no-sync'],
      ]);
      await server.startServer('replica');
      return server;
    } catch (error) {
      await server.destroy();
      throw error;
    }
  }

  /** Stops applying WAL on the replica (it still receives it): its data stays where it is. */
  async pauseReplay(): Promise<void> {
    await this.sql(this.replicaPort, 'SELECT pg_wal_replay_pause()');
  }

  async resumeReplay(): Promise<void> {
    await this.sql(this.replicaPort, 'SELECT pg_wal_replay_resume()');
  }

  /** Fast shutdown of the replica: open sessions get 57P01, new connections are refused. */
  async stopReplica(): Promise<void> {
    await this.bin('pg_ctl', ['-D', this.data('replica'), '-m', 'fast', '-w', 'stop']);
  }

  async startReplica(): Promise<void> {
    await this.startServer('replica');
  }

  /** Whether the replica has replayed everything the primary has written so far. */
  async replicaCaughtUp(): Promise<boolean> {
    const [primary] = await this.sql(this.primaryPort, 'SELECT pg_current_wal_lsn()::text AS lsn');
    const [caught] = await this.sql(
      this.replicaPort,
      `SELECT pg_last_wal_replay_lsn() >= '${String(primary.lsn)}'::pg_lsn AS ok`,
    );
    return caught.ok === true;
  }

  /** Stops both servers (immediate) and removes the temp dir. */
  async destroy(): Promise<void> {
    for (const name of ['replica', 'primary']) {
      await this.bin('pg_ctl', ['-D', this.data(name), '-m', 'immediate', '-w', 'stop']).catch(
        () => undefined,
      );
    }
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Runs one statement as `postgres` on the port; rows as objects. */
  async sql(
    port: number,
    text: string,
    database = DATABASE,
  ): Promise<Array<Record<string, unknown>>> {
    const client = new Client({
      host: '127.0.0.1',
      port,
      user: 'postgres',
      database,
      connectionTimeoutMillis: 5_000,
      query_timeout: 10_000,
    });
    await client.connect();
    try {
      return (await client.query<Record<string, unknown>>(text)).rows;
    } finally {
      await client.end();
    }
  }

  private data(name: string): string {
    return join(this.dir, name);
  }

  private async startServer(name: 'primary' | 'replica'): Promise<void> {
    const port = name === 'primary' ? this.primaryPort : this.replicaPort;
    await this.bin('pg_ctl', [
      ...['-D', this.data(name), '-l', join(this.dir, `${name}.log`), '-w', '-t', '60'],
      ...['-o', `-p ${port}`, 'start'],
    ]);
  }

  private async bin(name: string, args: string[]): Promise<void> {
    await run(join(BIN, name), args, {
      ...this.user,
      cwd: this.dir,
      timeout: 120_000,
      env: { ...process.env, PGHOST: '127.0.0.1' },
    });
  }
}
