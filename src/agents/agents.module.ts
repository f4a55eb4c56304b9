import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PersistenceModule } from '../persistence';
import { ToolsModule } from '../tools';
import { UsersModule } from '../users';
import { AgentEntity } from './agent.entity';
import { AgentsBatchRepository } from './agents-batch.repository';
import { AgentsBatchService } from './agents-batch.service';
import { AgentsController } from './agents.controller';
import { AgentsRepository } from './agents.repository';
import { AgentsService } from './agents.service';

/** Agents domain module: agents, their tools (`agent_tools`) and batch writes. */
@Module({
  imports: [
    TypeOrmModule.forFeature([AgentEntity]),
    // For the QueryObserver, so COPY statements are counted like any other statement.
    PersistenceModule,
    ToolsModule,
    UsersModule,
  ],
  controllers: [AgentsController],
  providers: [AgentsRepository, AgentsBatchRepository, AgentsService, AgentsBatchService],
  exports: [AgentsService],
})
export class AgentsModule {}
