import 'reflect-metadata';
import { pino } from 'pino';
import { appConfig, EnvValidationError, loadDevelopmentEnv } from './config';
import { migrationConfig } from './persistence/migration.config';
import { runPendingMigrations } from './persistence/migration-runner';
import { databaseConfig } from './persistence/persistence.config';

// `npm run migrate` (= node dist/migrate.js, the Kubernetes migration Job): applies the pending
// migrations with the compiled code, no ts-node, and exits 0, or 1 on any failure or timeout.
// Logs which migrations ran as JSON lines; never the URL.
async function main(): Promise<void> {
  loadDevelopmentEnv();
  const log = pino({ level: appConfig().logLevel, base: { context: 'Migrate' } });
  const database = databaseConfig();
  if (!database.url) {
    throw new EnvValidationError([
      'DATABASE__URL: must be set to run migrations (the embedded server runs them at boot)',
    ]);
  }
  const started = performance.now();
  const ran = await runPendingMigrations({
    database,
    url: database.url,
    migration: migrationConfig(),
    log,
  });
  log.info({
    msg: ran.length > 0 ? 'Migrations applied' : 'No pending migrations',
    migrations: ran,
    durationMs: Math.round(performance.now() - started),
  });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // A bad environment is an operator error: the bad keys, no stack trace, no values.
    process.stderr.write(
      error instanceof EnvValidationError
        ? `${error.message}\n`
        : `Migrations failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
    );
    process.exit(1);
  },
);
