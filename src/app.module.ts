import { DynamicModule, Module } from '@nestjs/common';
import { AgentsModule } from './agents';
import { AuthEnv, authConfig, AuthModule } from './auth';
import {
  AppConfigModule,
  appConfig,
  AppEnv,
  performanceConfig,
  PerformanceEnv,
  ragConfig,
  RagEnv,
  redisConfig,
  RedisEnv,
} from './config';
import { ComputeModule } from './compute';
import { DocumentsModule } from './documents';
import { CACHE_RESPONSE_OPTIONS, cachingConfig, CachingEnv, CachingModule } from './caching';
import { externalApiConfig, ExternalApiEnv, ExternalDataModule } from './external-data';
import { loggingConfig, LoggingEnv, LoggingModule } from './logging';
import { paginationConfig, PaginationEnv } from './pagination';
import { monitoringConfig, MonitoringEnv, MonitoringModule } from './monitoring';
import {
  databaseConfig,
  DatabaseEnv,
  migrationConfig,
  MigrationEnv,
  PersistenceModule,
  ReadRoutingModule,
} from './persistence';
import { queuesConfig, QueuesEnv, QueuesModule } from './queues';
import { rateLimitConfig, RateLimitEnv, RateLimitModule } from './rate-limit';
import { resilienceConfig, ResilienceEnv, ResilienceModule } from './resilience';
import { TemplatesModule } from './templates';
import { ToolsModule } from './tools';
import { UsersModule } from './users';
import { WorkflowsModule } from './workflows';

/** Every module's config: validated together at boot, one line per bad key. */
export const MODULE_CONFIGS = [
  { namespace: appConfig, env: AppEnv },
  { namespace: loggingConfig, env: LoggingEnv },
  { namespace: databaseConfig, env: DatabaseEnv },
  { namespace: migrationConfig, env: MigrationEnv },
  { namespace: redisConfig, env: RedisEnv },
  { namespace: authConfig, env: AuthEnv },
  { namespace: performanceConfig, env: PerformanceEnv },
  { namespace: ragConfig, env: RagEnv },
  { namespace: monitoringConfig, env: MonitoringEnv },
  { namespace: paginationConfig, env: PaginationEnv },
  { namespace: cachingConfig, env: CachingEnv },
  { namespace: resilienceConfig, env: ResilienceEnv },
  { namespace: externalApiConfig, env: ExternalApiEnv },
  { namespace: queuesConfig, env: QueuesEnv },
  { namespace: rateLimitConfig, env: RateLimitEnv },
];

/** Composition root: imports modules, provides nothing of its own. */
@Module({})
export class AppModule {
  /** Async because loading and validating the env happens here, before Nest starts. */
  static async forRoot(): Promise<DynamicModule> {
    return {
      module: AppModule,
      imports: [
        await AppConfigModule.forRoot(MODULE_CONFIGS),
        LoggingModule,
        PersistenceModule,
        // After the config module: it reads the validated DATABASE__REPLICA_URLS. A refill of a
        // @CacheResponse route reads only a replica that has the fleet's latest write.
        ReadRoutingModule.register({ cacheFillMarkers: [CACHE_RESPONSE_OPTIONS] }),
        AuthModule,
        RateLimitModule,
        CachingModule.forRoot({}),
        ResilienceModule.forRoot({}),
        QueuesModule.forRoot(),
        UsersModule,
        ToolsModule,
        AgentsModule,
        WorkflowsModule,
        DocumentsModule,
        TemplatesModule,
        ExternalDataModule,
        ComputeModule,
        MonitoringModule,
      ],
    };
  }
}
