import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaginationModule } from '../pagination';
import { PersistenceModule } from '../persistence';
import { ToolsModule } from '../tools';
import { UsersModule } from '../users';
import { AgentEntity } from './agent.entity';
import { AgentsBatchRepository } from './agents-batch.repository';
import { AgentsBatchService } from './agents-batch.service';
import { AgentsChanges } from './agents-changes';
import { AgentsSnapshot } from './agents-snapshot';
import { AgentsController } from './agents.controller';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';

/** Agents domain module: agents, their tools (`agent_tools`) and batch writes. */
@Module({
  imports: [
    TypeOrmModule.forFeature([AgentEntity]),
    // For the QueryObserver, so COPY statements are counted like any other statement.
    PersistenceModule,
    PaginationModule,
    ToolsModule,
    UsersModule,
  ],
  controllers: [AgentsController],
  providers: [
    AgentsRepository,
    AgentsBatchRepository,
    AgentsService,
    AgentsBatchService,
    AgentsSnapshot,
    AgentsChanges,
  ],
  exports: [AgentsService],
})
export class AgentsModule {}
