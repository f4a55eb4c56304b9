import { APP_INTERCEPTOR } from '@nestjs/core';
import type { DatabaseConfig } from '../persistence.config';
import { READ_ROUTING_OPTIONS, ReadRoutingInterceptor } from './read-routing.interceptor';
import { ReadRoutingModule } from './read-routing.module';

const withReplicas = (urls: string[]) => ({ replicas: { urls } }) as unknown as DatabaseConfig;

describe(ReadRoutingModule.name, () => {
  it('should register the global read-routing interceptor only when replicas are configured', () => {
    const options = { cacheFillMarkers: ['caching:response-options'] };
    expect(ReadRoutingModule.register(options, withReplicas([])).providers).toEqual([]);
    expect(
      ReadRoutingModule.register(options, withReplicas(['postgres://replica/db'])).providers,
    ).toEqual([
      { provide: READ_ROUTING_OPTIONS, useValue: options },
      { provide: APP_INTERCEPTOR, useClass: ReadRoutingInterceptor },
    ]);
  });
});
