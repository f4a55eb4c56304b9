import { Logger as NestLogger } from '@nestjs/common';
import { Logger as TypeOrmLogger } from 'typeorm';
import { QueryObserver } from './query-observer';
import { normalizeSql, redactMessage, redactParameters } from './sql-text';

/**
 * TypeORM logger: feeds the query observer, logs slow queries with normalized SQL, duration and
 * redacted parameters, and logs failed queries without their parameter values.
 *
 * TypeORM times a statement after a pool connection was acquired, so pool wait is not counted.
 */
export class SqlLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('SQL');

  constructor(private readonly observer: QueryObserver) {}

  logQuery(query: string): void {
    this.observer.started(query);
  }

  logQuerySlow(time: number, query: string, parameters?: unknown[]): void {
    this.logger.warn({
      msg: 'Slow query',
      durationMs: time,
      sql: normalizeSql(query),
      parameters: redactParameters(parameters),
    });
  }

  logQueryError(error: string | Error, query: string, parameters?: unknown[]): void {
    this.logger.warn({
      msg: 'Query failed',
      error: redactMessage(typeof error === 'string' ? error : error.message),
      sql: normalizeSql(query),
      parameters: redactParameters(parameters),
    });
  }

  logSchemaBuild(message: string): void {
    this.logger.debug(message);
  }

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') {
      this.logger.warn(message);
    } else {
      this.logger.debug(message);
    }
  }
}
