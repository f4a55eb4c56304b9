import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { ConfigType } from '@nestjs/config';
import { performanceConfig } from '../config';
import { PaginationModule } from '../pagination';
import { QueuesModule } from '../queues';
import { DOCUMENTS_QUEUE } from './document.constants';
import { DocumentProcessingService } from './document-processing.service';
import { DocumentProcessingTasks } from './document-processing.task';
import { DocumentProcessor } from './document-processor';
import { UsersModule } from '../users';
import { DocumentEntity } from './document.entity';
import { DocumentsController } from './documents.controller';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';

/** Documents domain module: users' private documents, processed (chunked) by the `documents` queue. */
@Module({
  imports: [
    TypeOrmModule.forFeature([DocumentEntity]),
    PaginationModule,
    UsersModule,
    QueuesModule.registerQueue({
      name: DOCUMENTS_QUEUE,
      concurrency: {
        inject: [performanceConfig.KEY],
        useFactory: (performance: ConfigType<typeof performanceConfig>) =>
          performance.documentProcessingWorkers,
      },
    }),
  ],
  controllers: [DocumentsController],
  providers: [
    DocumentsRepository,
    DocumentsService,
    DocumentProcessingService,
    DocumentProcessor,
    DocumentProcessingTasks,
  ],
  exports: [DocumentsService],
})
export class DocumentsModule {}
