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

/** How often a run waiting for another's migration lock tries again. */
const LOCK_POLL_MS = 200;

/** Another run held the migration lock longer than this run would wait. */
export class MigrationLockTimeoutError extends Error {
  readonly kind = 'migration_lock_timeout';

  constructor(waitedMs: number) {
    super(
      `Another migration run held the lock for more than ${waitedMs} ms (DATABASE__MIGRATIONS_TIMEOUT_MS)`,
    );
    this.name = 'MigrationLockTimeoutError';
  }
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
  try {
    // The whole run, lock wait included, is also bounded by the race above.
    return await migrateUnderLock(dataSource, migration.timeoutMs);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Applies the pending migrations of an initialised data source while holding the migration
 * advisory lock (on a connection of its own), so concurrent runs apply each migration once: the
 * migration Job, and at boot the API and the worker of a fresh compose stack, or several replicas.
 * A run that waited finds nothing pending.
 *
 * The lock is polled with `pg_try_advisory_lock`, not awaited with `pg_advisory_lock`: a session
 * blocked in a statement holds a snapshot, and `CREATE INDEX CONCURRENTLY` in the holder's
 * migrations waits for every older snapshot to end, so the two runs would wait on each other until
 * a timeout. The wait is bounded by `lockWaitMs`.
 */
export async function migrateUnderLock(
  dataSource: DataSource,
  lockWaitMs: number,
): Promise<string[]> {
  const lock = dataSource.createQueryRunner();
  let held = false;
  try {
    await lock.connect();
    const deadline = Date.now() + lockWaitMs;
    while (!held) {
      const [row] = (await lock.query('SELECT pg_try_advisory_lock($1) AS held', [
        MIGRATION_LOCK_KEY,
      ])) as Array<{ held: boolean }>;
      held = row.held;
      if (!held) {
        if (Date.now() >= deadline) {
          throw new MigrationLockTimeoutError(lockWaitMs);
        }
        await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
      }
    }
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((applied) => applied.name);
  } finally {
    if (held) {
      await lock
        .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
        .catch(() => undefined);
    }
    await lock.release();
  }
}
