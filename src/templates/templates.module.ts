import { Module } from '@nestjs/common';

/** Templates domain module. */
@Module({})
export class TemplatesModule {}
