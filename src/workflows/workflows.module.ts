import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AgentsModule } from '../agents';
import { PaginationModule } from '../pagination';
import { WorkflowEntity } from './workflow.entity';
import { WorkflowsController } from './workflows.controller';
import { WorkflowsRepository } from './workflows.repository';
import { WorkflowsService } from './workflows.service';

/** Workflows domain module: the workflows of agents, guarded by the agents' ownership. */
@Module({
  imports: [TypeOrmModule.forFeature([WorkflowEntity]), AgentsModule, PaginationModule],
  controllers: [WorkflowsController],
  providers: [WorkflowsRepository, WorkflowsService],
  exports: [WorkflowsService],
})
export class WorkflowsModule {}
