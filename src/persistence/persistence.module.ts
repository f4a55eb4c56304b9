import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { MonitoringCoreModule } from '../monitoring';
import { RedisModule } from '../redis';
import { buildDataSourceOptions } from './data-source-options';
import { DatabaseErrorFilter } from './database-error.filter';
import { DatabaseHealthIndicator } from './database.health';
import { DatabaseMetrics } from './database-metrics';
import { DatabasePool } from './database-pool';
import { EmbeddedDatabase } from './embedded-database';
import { instrumentedPg } from './instrumented-pg';
import { migrateUnderLock } from './migration-runner';
import { migrationConfig } from './migration.config';
import { PersistenceCoreModule } from './persistence-core.module';
import { PersistenceMonitoring } from './persistence.monitoring';
import { QueryObserver } from './query-observer';
import { databaseConfig } from './persistence.config';
import { QueryTimingSubscriber } from './query-timing.subscriber';
import { ReadRouter } from './replicas/read-router';
import { ReplicaMonitor } from './replicas/replica-monitor';
import { ReplicasMonitoring } from './replicas/replicas.monitoring';
import { WriteMarks } from './replicas/write-marks';
import { WriteRecorder } from './replicas/write-recorder';
import { SchemaHealthIndicator } from './schema.health';
import { SqlReader } from './sql-reader';
import { SqlLogger } from './sql.logger';

/** The factory's options plus, when pending migrations are applied at boot, the lock wait. */
type BootDataSourceOptions = DataSourceOptions & { migrateAtBoot?: { lockWaitMs: number } };

/**
 * PostgreSQL through TypeORM: the pool from `DATABASE__*`, migrations at boot, the slow-query log,
 * typed errors for pool exhaustion and outages, an embedded server when no URL is configured,
 * and its health, metrics and stats registered with monitoring ({@link PersistenceMonitoring}).
 * With `DATABASE__REPLICA_URLS`, lag-tolerant reads go to streaming replicas ({@link ReadRouter})
 * with read-your-writes across pods ({@link WriteMarks}); the HTTP read scope comes from
 * `ReadRoutingModule`, imported by the app only when replicas are configured.
 */
@Module({
  imports: [
    PersistenceCoreModule,
    MonitoringCoreModule,
    TerminusModule,
    RedisModule,
    TypeOrmModule.forRootAsync({
      imports: [PersistenceCoreModule],
      inject: [databaseConfig.KEY, migrationConfig.KEY, EmbeddedDatabase, QueryObserver],
      useFactory: async (
        config: ConfigType<typeof databaseConfig>,
        migration: ConfigType<typeof migrationConfig>,
        embedded: EmbeddedDatabase,
        observer: QueryObserver,
      ) => {
        const url = config.url ?? (await embedded.start(config.embedded));
        return {
          ...buildDataSourceOptions(config, url, new SqlLogger(observer), config.replicas.urls),
          driver: instrumentedPg((waitMs, ok) => observer.acquired(waitMs, ok)),
          // Run by dataSourceFactory below, under the migration lock (TypeORM's own run takes none).
          migrationsRun: false,
          autoLoadEntities: true,
          entities: [],
          migrateAtBoot: config.runMigrations ? { lockWaitMs: migration.timeoutMs } : undefined,
        };
      },
      dataSourceFactory: async (options) => {
        const { migrateAtBoot, ...rest } = options as BootDataSourceOptions;
        const dataSource = await new DataSource(rest).initialize();
        if (migrateAtBoot) {
          // A failed run must not leave this pool open behind TypeORM's connection retry.
          await migrateUnderLock(dataSource, migrateAtBoot.lockWaitMs).catch(
            async (error: unknown) => {
              await dataSource.destroy();
              throw error;
            },
          );
        }
        return dataSource;
      },
    }),
  ],
  providers: [
    DatabasePool,
    SqlReader,
    QueryTimingSubscriber,
    SchemaHealthIndicator,
    DatabaseHealthIndicator,
    DatabaseMetrics,
    PersistenceMonitoring,
    ReplicaMonitor,
    WriteMarks,
    ReadRouter,
    WriteRecorder,
    ReplicasMonitoring,
    { provide: APP_FILTER, useClass: DatabaseErrorFilter },
  ],
  exports: [PersistenceCoreModule, DatabasePool, SqlReader, SchemaHealthIndicator],
})
export class PersistenceModule {}
