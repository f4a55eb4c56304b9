import { Module } from '@nestjs/common';

/** Workflows domain module. */
@Module({})
export class WorkflowsModule {}
