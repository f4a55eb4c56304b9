import { join } from 'node:path';
import { DataSourceOptions, Logger } from 'typeorm';
import { DatabaseConfig } from './persistence.config';

/** Name of the table that records applied migrations. */
export const MIGRATIONS_TABLE = 'migrations';

/**
 * The single definition of the data source, shared by the app and the migrations CLI.
 *
 * Pool mapping (pg-pool): `min = POOL_SIZE`, `max = POOL_SIZE + POOL_MAX_OVERFLOW`,
 * `connectionTimeoutMillis = POOL_TIMEOUT * 1000`, `maxLifetimeSeconds = POOL_RECYCLE`,
 * `idleTimeoutMillis = POOL_IDLE_TIMEOUT_MS`, `statement_timeout = STATEMENT_TIMEOUT_MS` on every
 * connection and the client-side `query_timeout = QUERY_TIMEOUT_MS` above it. With
 * `replicaUrls`, TypeORM's replication mode opens one pool per replica with the same settings
 * (the read router decides which one a read uses; writes and transactions use the primary).
 */
export function buildDataSourceOptions(
  config: DatabaseConfig,
  url: string,
  logger?: Logger,
  replicaUrls: readonly string[] = [],
): DataSourceOptions {
  const connection =
    replicaUrls.length === 0
      ? { url }
      : {
          replication: {
            master: { url },
            slaves: replicaUrls.map((replica) => ({ url: replica })),
          },
        };
  return {
    type: 'postgres',
    ...connection,
    // Entities register through TypeOrmModule.forFeature in their owning module; the CLI
    // finds them by file name.
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    migrationsTableName: MIGRATIONS_TABLE,
    migrationsTransactionMode: 'each',
    synchronize: false,
    relationLoadStrategy: 'query',
    maxQueryExecutionTime: config.slowQueryMs,
    logger,
    logging: logger ? true : ['error', 'warn', 'migration'],
    applicationName: 'agentic-engine-api',
    poolSize: config.pool.max,
    connectTimeoutMS: config.pool.acquireTimeoutMs,
    extra: {
      min: config.pool.min,
      max: config.pool.max,
      connectionTimeoutMillis: config.pool.acquireTimeoutMs,
      idleTimeoutMillis: config.pool.idleTimeoutMs,
      maxLifetimeSeconds: config.pool.maxLifetimeSeconds,
      statement_timeout: config.statementTimeoutMs || undefined,
      query_timeout: config.queryTimeoutMs,
    },
  };
}
