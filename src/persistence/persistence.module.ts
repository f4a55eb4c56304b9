import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { buildDataSourceOptions } from './data-source-options';
import { DatabaseErrorFilter } from './database-error.filter';
import { DatabasePool } from './database-pool';
import { EmbeddedDatabase } from './embedded-database';
import { instrumentedPg } from './instrumented-pg';
import { PersistenceCoreModule } from './persistence-core.module';
import { QueryObserver } from './query-observer';
import { databaseConfig } from './persistence.config';
import { QueryTimingSubscriber } from './query-timing.subscriber';
import { SchemaHealthIndicator } from './schema.health';
import { SqlLogger } from './sql.logger';

/**
 * PostgreSQL through TypeORM: the pool from `DATABASE__*`, migrations at boot, the slow-query log,
 * typed errors for pool exhaustion and outages, and an embedded server when no URL is configured.
 */
@Module({
  imports: [
    PersistenceCoreModule,
    TerminusModule,
    TypeOrmModule.forRootAsync({
      imports: [PersistenceCoreModule],
      inject: [databaseConfig.KEY, EmbeddedDatabase, QueryObserver],
      useFactory: async (
        config: ConfigType<typeof databaseConfig>,
        embedded: EmbeddedDatabase,
        observer: QueryObserver,
      ) => {
        const url = config.url ?? (await embedded.start(config.embedded));
        return {
          ...buildDataSourceOptions(config, url, new SqlLogger(observer)),
          driver: instrumentedPg((waitMs, ok) => observer.acquired(waitMs, ok)),
          migrationsRun: config.runMigrations,
          autoLoadEntities: true,
          entities: [],
        };
      },
    }),
  ],
  providers: [
    DatabasePool,
    QueryTimingSubscriber,
    SchemaHealthIndicator,
    { provide: APP_FILTER, useClass: DatabaseErrorFilter },
  ],
  exports: [PersistenceCoreModule, DatabasePool, SchemaHealthIndicator],
})
export class PersistenceModule {}
