import { registerAs } from '@nestjs/config';
import { EnvInt, validateEnv } from '../config';

/**
 * Env keys of migration runs: the entry point (`node dist/migrate.js`), and at boot the longest
 * wait for another process's run (`DATABASE__RUN_MIGRATIONS`).
 */
export class MigrationEnv {
  /**
   * Time the whole run may take (connect, lock, every pending migration), in ms; then it exits 1
   * and PostgreSQL rolls back the migration in progress with its connection. Also the statement
   * timeout of the migrations (an index build may outlast the app's `STATEMENT_TIMEOUT_MS`), and
   * how long a boot with `DATABASE__RUN_MIGRATIONS` waits for another process's migration lock.
   */
  @EnvInt(1000, 86400000)
  DATABASE__MIGRATIONS_TIMEOUT_MS = 600000;

  /**
   * PostgreSQL `lock_timeout` of the migration statements, in ms (0 = none). A DDL statement that
   * waits for a table lock queues every app query on that table behind it: failing fast (the Job
   * retries) beats stalling the live service.
   */
  @EnvInt(0, 3600000)
  DATABASE__MIGRATIONS_LOCK_TIMEOUT_MS = 10000;
}

/** Typed `migration` namespace, read by the migration entry point only. */
export const migrationConfig = registerAs('migration', () => {
  const env = validateEnv(MigrationEnv, process.env);
  return {
    timeoutMs: env.DATABASE__MIGRATIONS_TIMEOUT_MS,
    lockTimeoutMs: env.DATABASE__MIGRATIONS_LOCK_TIMEOUT_MS,
  };
});

export type MigrationConfig = ReturnType<typeof migrationConfig>;
