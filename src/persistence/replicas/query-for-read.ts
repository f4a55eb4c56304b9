import type { DataSource } from 'typeorm';

/**
 * Runs a raw read statement the way TypeORM runs `find()`: outside any transaction, on the
 * connection the read router picks (a replica for a lag-tolerant read, else the primary; the
 * primary when no replicas are configured). `dataSource.query()` always uses the primary.
 *
 * @example
 * ```ts
 * const rows = await queryForRead<Row[]>(this.dataSource, 'SELECT id FROM x WHERE y = $1', [y]);
 * ```
 * @publicApi
 */
export async function queryForRead<T>(
  dataSource: DataSource,
  sql: string,
  parameters: readonly unknown[] = [],
): Promise<T> {
  const runner = dataSource.createQueryRunner('slave');
  try {
    return (await runner.query(sql, [...parameters])) as T;
  } finally {
    await runner.release();
  }
}
