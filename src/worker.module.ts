import { DynamicModule, Module } from '@nestjs/common';
import { MODULE_CONFIGS } from './app.module';
import { CachingModule } from './caching';
import { ComputeModule } from './compute';
import { AppConfigModule } from './config';
import { DocumentsModule } from './documents';
import { LoggingModule } from './logging';
import { WorkerMonitoringModule } from './monitoring';
import { PersistenceModule } from './persistence';
import { QueuesModule } from './queues';
import { RedisModule } from './redis';

/**
 * The worker process (`npm run start:worker`): the queues with their `@Task` handlers (compute,
 * documents) and what those need (database, Redis, cache invalidation), without HTTP. Same config
 * validation as the API. Probes and `/metrics` on `MONITORING__WORKER_PORT`.
 */
@Module({})
export class WorkerModule {
  static async forRoot(): Promise<DynamicModule> {
    return {
      module: WorkerModule,
      imports: [
        await AppConfigModule.forRoot(MODULE_CONFIGS),
        LoggingModule,
        PersistenceModule,
        RedisModule,
        WorkerMonitoringModule,
        CachingModule.forRoot({}),
        QueuesModule.forRoot(),
        ComputeModule,
        DocumentsModule,
      ],
    };
  }
}
