import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DatabaseError, type Pool, type QueryArrayConfig } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { QueryObserver } from './query-observer';

/** A column value as PostgreSQL's text output (no type parsing); SQL NULL is null. */
export type TextValue = string | null;

/** A read statement: its text and, for statements run often, a prepared-statement name. */
export interface ReadStatement {
  text: string;
  /**
   * Name of the prepared statement (unique per text): each connection parses and plans it once,
   * then only binds and executes it. Leave it out for one-off statements.
   */
  name?: string;
}

const asText = (value: string): string => value;
// One parser for every type: values stay as PostgreSQL sent them.
const TEXT_TYPES = { getTypeParser: () => asText };

/**
 * Runs read statements on the pool directly: no query runner, no entity hydration, no type
 * parsing. Rows come back as arrays of text in select-list order, for hot read paths that map
 * columns to responses themselves. Statements report to the {@link QueryObserver} and the SQL
 * logger (slow and failed statements) like TypeORM's, and errors reach the database error filter
 * as the same `QueryFailedError` (pool exhaustion and outages as their own typed errors).
 */
@Injectable()
export class SqlReader {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly observer: QueryObserver,
  ) {}

  /** The statement's rows, each an array of text values in select-list order. */
  async textRows(statement: ReadStatement, values: readonly unknown[]): Promise<TextValue[][]> {
    const { text, name } = statement;
    // Acquire errors (PoolExhaustedError, DatabaseUnavailableError) pass through, as with TypeORM.
    const client = await this.pool().connect();
    const logger = this.dataSource.logger;
    logger.logQuery(text, values as unknown[]);
    const started = Date.now();
    const config: QueryArrayConfig = {
      text,
      name,
      values: values as unknown[],
      rowMode: 'array',
      types: TEXT_TYPES,
    };
    let failure: unknown;
    try {
      const result = await client.query<TextValue[]>(config);
      const elapsed = Date.now() - started;
      this.observer.ended(text, elapsed, true);
      const slowMs = this.dataSource.options.maxQueryExecutionTime;
      if (slowMs && elapsed > slowMs) {
        logger.logQuerySlow(elapsed, text, values as unknown[]);
      }
      return result.rows;
    } catch (error) {
      failure = error;
      logger.logQueryError(error as Error, text, values as unknown[]);
      this.observer.ended(text, Date.now() - started, false);
      throw new QueryFailedError(text, values as unknown[], error as Error);
    } finally {
      // An error PostgreSQL reported leaves the connection usable; any other (socket, timeout)
      // drops it from the pool.
      client.release(
        failure === undefined || failure instanceof DatabaseError ? undefined : (failure as Error),
      );
    }
  }

  private pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }
}
