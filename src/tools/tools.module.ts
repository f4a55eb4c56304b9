import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaginationModule } from '../pagination';
import { ToolEntity } from './tool.entity';
import { ToolsController } from './tools.controller';
import { ToolsRepository } from './tools.repository';
import { ToolsService } from './tools.service';

/** Tools domain module: the catalogue of tools agents can use. */
@Module({
  imports: [TypeOrmModule.forFeature([ToolEntity]), PaginationModule],
  controllers: [ToolsController],
  providers: [ToolsRepository, ToolsService],
  exports: [ToolsService],
})
export class ToolsModule {}
