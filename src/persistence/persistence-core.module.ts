import { Module } from '@nestjs/common';
import { EmbeddedDatabase } from './embedded-database';
import { QueryObserver } from './query-observer';

/** @internal providers the data-source factory needs before the data source exists. */
@Module({
  providers: [QueryObserver, EmbeddedDatabase],
  exports: [QueryObserver, EmbeddedDatabase],
})
export class PersistenceCoreModule {}
