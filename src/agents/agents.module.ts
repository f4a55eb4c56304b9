import { Module } from '@nestjs/common';

/** Agents domain module. */
@Module({})
export class AgentsModule {}
