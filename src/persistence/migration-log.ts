import type { Logger as PinoLogger } from 'pino';
import { Logger as TypeOrmLogger } from 'typeorm';
import { normalizeSql, redactMessage } from './sql-text';

/**
 * TypeORM logger of the migration entry point: TypeORM's progress lines ("3 migrations are new
 * ...", "Migration X has been executed successfully.") and failures as JSON lines. Queries are
 * not logged; a failed one is, normalized and without its parameters.
 */
export class MigrationLog implements TypeOrmLogger {
  constructor(private readonly out: PinoLogger) {}

  logQuery(): void {}

  logQuerySlow(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.out.error({
      msg: 'Migration query failed',
      error: redactMessage(typeof error === 'string' ? error : error.message),
      sql: normalizeSql(query),
    });
  }

  logSchemaBuild(message: string): void {
    this.out.info({ msg: message });
  }

  logMigration(message: string): void {
    this.out.error({ msg: redactMessage(message) });
  }

  /** TypeORM's own chatter (entity and migration file globs) is debug. */
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    this.out[level === 'warn' ? 'warn' : 'debug']({ msg: String(message) });
  }
}
