import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { databaseConfig, type DatabaseConfig } from '../persistence.config';
import {
  READ_ROUTING_OPTIONS,
  ReadRoutingInterceptor,
  type ReadRoutingOptions,
} from './read-routing.interceptor';

/**
 * The HTTP side of read routing: {@link ReadRoutingInterceptor} as a global interceptor, only when
 * `DATABASE__REPLICA_URLS` lists replicas. Without replicas every statement runs on the primary
 * and the interceptor has nothing to do, but a global interceptor still puts every route through
 * Nest's interceptor chain: `/health/live` served 2.5x fewer requests (10 clients) with it.
 */
@Module({})
export class ReadRoutingModule {
  /**
   * @param options what else marks a route that fills a cache besides {@link ReadsFillCache}: the
   *   composition root passes the response cache's route metadata key (`CACHE_RESPONSE_OPTIONS`),
   *   so persistence and caching need not import each other
   * @param config the validated database config (read from the env when not given)
   */
  static register(
    options: ReadRoutingOptions,
    config: DatabaseConfig = databaseConfig(),
  ): DynamicModule {
    return {
      module: ReadRoutingModule,
      providers:
        config.replicas.urls.length > 0
          ? [
              { provide: READ_ROUTING_OPTIONS, useValue: options },
              { provide: APP_INTERCEPTOR, useClass: ReadRoutingInterceptor },
            ]
          : [],
    };
  }
}
