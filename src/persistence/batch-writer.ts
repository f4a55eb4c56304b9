import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { QueryFailedError, QueryRunner } from 'typeorm';
import { BatchRowError } from './errors/batch-row.error';
import { QueryObserver } from './query-observer';

/** A column of a batch write: its SQL name and the value getter. */
export interface BatchColumn<T> {
  name: string;
  value: (row: T) => string | number | boolean | Date | object | null | undefined;
}

/** PostgreSQL allows at most 65,535 bind parameters per statement (the count is 16-bit). */
const MAX_BIND_PARAMETERS = 65535;

// PostgreSQL's context of a COPY error: `COPY agents, line 12345, column config: "..."`.
const COPY_WHERE = /COPY [^,]+, line (\d+)(?:, column ([^:\s]+))?/;

/**
 * A COPY error on one input line becomes a BatchRowError naming the row (one line per row: values
 * are escaped); anything else is wrapped like TypeORM wraps query errors.
 */
function copyError(error: unknown, sql: string, rowCount: number): Error {
  // Not instanceof: socket errors may come from another realm (Jest).
  const driverError =
    typeof error === 'object' && error !== null ? (error as Error) : new Error(String(error));
  const where = (driverError as { where?: unknown }).where;
  const match = typeof where === 'string' ? COPY_WHERE.exec(where) : null;
  const line = match ? Number(match[1]) : 0;
  // Only data exceptions (22) and constraint violations (23) are the row's fault.
  const code = String((driverError as { code?: unknown }).code);
  if (match && line >= 1 && line <= rowCount && /^2[23]/.test(code)) {
    const column = match[2] ?? (driverError as { column?: string }).column;
    return new BatchRowError(line - 1, column, driverError);
  }
  return new QueryFailedError(sql, [], driverError);
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

function toCopyText(value: unknown): string {
  if (value === null || value === undefined) {
    return '\\N';
  }
  // Numbers and booleans stringify the same in JSON and COPY text; objects become JSON.
  const text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  return text.replace(/[\\\t\n\r]/g, (char) =>
    char === '\\' ? '\\\\' : char === '\t' ? '\\t' : char === '\n' ? '\\n' : '\\r',
  );
}

function toParameter(value: unknown): unknown {
  return value !== null && typeof value === 'object' && !(value instanceof Date)
    ? JSON.stringify(value)
    : (value ?? null);
}

/**
 * Streams rows into a table with `COPY ... FROM STDIN` on the query runner's connection, so it
 * joins the runner's transaction. About 3x faster than multi-row INSERT for large batches.
 *
 * @throws BatchRowError when PostgreSQL rejects a row (its index in `rows`), QueryFailedError
 *   for any other database error (as TypeORM queries do).
 */
export async function copyRows<T>(
  queryRunner: QueryRunner,
  table: string,
  columns: BatchColumn<T>[],
  rows: readonly T[],
  observer?: QueryObserver,
): Promise<void> {
  const client = (await queryRunner.connect()) as PoolClient;
  const sql = `COPY ${quoteIdent(table)} (${columns.map((c) => quoteIdent(c.name)).join(', ')}) FROM STDIN`;
  observer?.started(sql);
  const started = performance.now();
  function* lines(): Generator<string> {
    let buffer = '';
    for (const row of rows) {
      buffer += columns.map((column) => toCopyText(column.value(row))).join('\t') + '\n';
      if (buffer.length > 64 * 1024) {
        yield buffer;
        buffer = '';
      }
    }
    if (buffer) {
      yield buffer;
    }
  }
  let success = false;
  try {
    await pipeline(Readable.from(lines()), client.query(copyFrom(sql)));
    success = true;
  } catch (error) {
    throw copyError(error, sql, rows.length);
  } finally {
    observer?.ended(sql, performance.now() - started, success);
  }
}

/**
 * Inserts rows with multi-row `INSERT` statements, chunked so that no statement exceeds the
 * 65,535 bind-parameter limit. Runs on the given query runner (and so in its transaction).
 */
export async function insertRowsChunked<T>(
  queryRunner: QueryRunner,
  table: string,
  columns: BatchColumn<T>[],
  rows: readonly T[],
  maxRowsPerStatement = 1000,
): Promise<void> {
  const rowsPerStatement = Math.max(
    1,
    Math.min(maxRowsPerStatement, Math.floor(MAX_BIND_PARAMETERS / columns.length)),
  );
  const columnList = columns.map((c) => quoteIdent(c.name)).join(', ');
  for (let offset = 0; offset < rows.length; offset += rowsPerStatement) {
    const chunk = rows.slice(offset, offset + rowsPerStatement);
    const parameters: unknown[] = [];
    const tuples = chunk.map((row) => {
      const placeholders = columns.map((column) => {
        parameters.push(toParameter(column.value(row)));
        return `$${parameters.length}`;
      });
      return `(${placeholders.join(', ')})`;
    });
    await queryRunner.query(
      `INSERT INTO ${quoteIdent(table)} (${columnList}) VALUES ${tuples.join(', ')}`,
      parameters,
    );
  }
}
