import { Module } from '@nestjs/common';

/** Users domain module. */
@Module({})
export class UsersModule {}
