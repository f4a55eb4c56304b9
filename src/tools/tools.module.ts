import { Module } from '@nestjs/common';

/** Tools domain module. */
@Module({})
export class ToolsModule {}
