import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DatabaseError, type Pool, type PoolClient, type QueryArrayConfig } from 'pg';
import { DataSource, QueryFailedError } from 'typeorm';
import { databaseConfig } from './persistence.config';
import { QueryObserver } from './query-observer';
import { ReadRouter } from './replicas/read-router';

/** A column value as PostgreSQL's text output (no type parsing); SQL NULL is null. */
export type TextValue = string | null;

/** A read statement: its text and, for statements run often, a prepared-statement name. */
export interface ReadStatement {
  text: string;
  /**
   * Name of the prepared statement (unique per text): each connection parses and plans it once,
   * then only binds and executes it. Leave it out for one-off statements. Ignored when
   * `DATABASE__PREPARED_STATEMENTS=false` (PgBouncer in transaction mode without
   * `max_prepared_statements`).
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
 * Statements go where the {@link ReadRouter} says (a replica for lag-tolerant reads); one that
 * fails because its replica is unreachable runs again on the primary.
 */
@Injectable()
export class SqlReader {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly observer: QueryObserver,
    private readonly router: ReadRouter,
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
  ) {}

  /** The statement's rows, each an array of text values in select-list order. */
  async textRows(statement: ReadStatement, values: readonly unknown[]): Promise<TextValue[][]> {
    const { pool, replica } = await this.router.readPool();
    if (replica !== undefined) {
      const client = await pool.connect().catch(() => undefined);
      if (client) {
        try {
          return await this.run(client, statement, values);
        } catch (error) {
          if (!this.router.shouldRetryOnPrimary(error)) {
            throw error;
          }
        }
      }
      this.router.replicaFailed(replica);
    }
    // Acquire errors (PoolExhaustedError, DatabaseUnavailableError) pass through, as with TypeORM.
    return this.run(await this.master().connect(), statement, values);
  }

  private async run(
    client: PoolClient,
    statement: ReadStatement,
    values: readonly unknown[],
  ): Promise<TextValue[][]> {
    const { text } = statement;
    const name = this.config.preparedStatements ? statement.name : undefined;
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

  private master(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }
}
