import { Module } from '@nestjs/common';

/** Documents domain module. */
@Module({})
export class DocumentsModule {}
