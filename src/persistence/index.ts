export { PersistenceModule } from './persistence.module';
export { ReadRoutingModule } from './replicas/read-routing.module';
export type { ReadRoutingOptions } from './replicas/read-routing.interceptor';
export { QueryObserver } from './query-observer';
export type { ObservedQuery, CompletedQuery } from './query-observer';
export { DatabasePool } from './database-pool';
export { SqlReader } from './sql-reader';
export type { ReadStatement, TextValue } from './sql-reader';
export type { PoolStats } from './database-pool';
export { PoolExhaustedError } from './errors/pool-exhausted.error';
export { DatabaseUnavailableError } from './errors/database-unavailable.error';
export { BatchRowError } from './errors/batch-row.error';
export { copyRows, insertRowsChunked } from './batch-writer';
export type { BatchColumn } from './batch-writer';
export { databaseConfig, DatabaseEnv } from './persistence.config';
export type { DatabaseConfig } from './persistence.config';
export { buildDataSourceOptions } from './data-source-options';
export {
  migrateUnderLock,
  MIGRATION_LOCK_KEY,
  MigrationLockTimeoutError,
} from './migration-runner';
export { classifyDriverError } from './errors/classify-database-error';
export type { DatabaseFault } from './errors/classify-database-error';
export { migrationConfig, MigrationEnv } from './migration.config';
export { SchemaHealthIndicator } from './schema.health';
export { ReadsFillCache, READS_FILL_CACHE } from './replicas/reads-fill-cache.decorator';
export { queryForRead } from './replicas/query-for-read';
