import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { PersistenceModule } from '../persistence';
import { RedisModule } from '../redis';
import { COUNT_CACHE } from './count-cache';
import { CursorCodec } from './cursor-codec';
import { ListPaginator } from './list-paginator';
import { PageRequestPipe } from './page-query.decorator';
import { paginationConfig } from './pagination.config';
import { Paginator } from './paginator';
import { RedisCountCache } from './redis-count-cache';

/**
 * Offset and keyset pagination with allow-listed filters and sorts, signed cursors, count
 * strategies (with a Redis count cache), hot lists read straight from SQL (`ListSource`) and
 * in-memory list pagination.
 */
@Module({
  imports: [RedisModule, PersistenceModule],
  providers: [
    {
      provide: CursorCodec,
      inject: [paginationConfig.KEY],
      useFactory: (config: ConfigType<typeof paginationConfig>) =>
        new CursorCodec(config.cursor.keys, config.cursor.ttlSeconds),
    },
    {
      provide: ListPaginator,
      inject: [CursorCodec],
      useFactory: (codec: CursorCodec) => new ListPaginator(codec),
    },
    { provide: COUNT_CACHE, useClass: RedisCountCache },
    Paginator,
    PageRequestPipe,
  ],
  exports: [Paginator, ListPaginator, CursorCodec, COUNT_CACHE],
})
export class PaginationModule {}
