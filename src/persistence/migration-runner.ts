import type { Logger as PinoLogger } from 'pino';
import { DataSource, DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';
import { MigrationLog } from './migration-log';
import type { MigrationConfig } from './migration.config';
import type { DatabaseConfig } from './persistence.config';

/** Key of the PostgreSQL advisory lock that lets one migration run at a time per database. */
export const MIGRATION_LOCK_KEY = 7305221804;

/** What one migration run needs. The URL is used, never logged. */
export interface MigrationRun {
  database: DatabaseConfig;
  url: string;
  migration: MigrationConfig;
  log: PinoLogger;
}

/** The run did not finish within `DATABASE__MIGRATIONS_TIMEOUT_MS`. */
export class MigrationTimeoutError extends Error {
  readonly kind = 'migration_timeout';

  constructor(timeoutMs: number) {
    super(`Migrations did not finish within ${timeoutMs} ms (DATABASE__MIGRATIONS_TIMEOUT_MS)`);
    this.name = 'MigrationTimeoutError';
  }
}

/**
 * Runs the pending migrations (one transaction each) under an advisory lock, so two Jobs or a
 * retried Job never run them twice at once; returns the names of those that ran. The whole run
 * is bounded by the migration timeout: on timeout the caller exits and PostgreSQL rolls back the
 * migration in progress when its connection drops.
 */
export async function runPendingMigrations(run: MigrationRun): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new MigrationTimeoutError(run.migration.timeoutMs)),
      run.migration.timeoutMs,
    );
  });
  try {
    return await Promise.race([migrate(run), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function migrate({ database, url, migration, log }: MigrationRun): Promise<string[]> {
  const base = buildDataSourceOptions(database, url, new MigrationLog(log));
  const dataSource = new DataSource({
    ...base,
    logging: true,
    poolSize: 2,
    extra: {
      ...(base.extra as Record<string, unknown>),
      // One connection holds the lock, one runs the migrations.
      min: 0,
      max: 2,
      statement_timeout: migration.timeoutMs,
      query_timeout: migration.timeoutMs,
      lock_timeout: migration.lockTimeoutMs || undefined,
    },
  } as DataSourceOptions);
  await dataSource.initialize();
  const lock = dataSource.createQueryRunner();
  try {
    await lock.connect();
    // Waiting for another run's lock is bounded by the run's own timeout, not lock_timeout.
    await lock.query('SET lock_timeout = 0');
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((applied) => applied.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
    await dataSource.destroy();
  }
}
