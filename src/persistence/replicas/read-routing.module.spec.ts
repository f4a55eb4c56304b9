import { APP_INTERCEPTOR } from '@nestjs/core';
import type { DatabaseConfig } from '../persistence.config';
import { ReadRoutingInterceptor } from './read-routing.interceptor';
import { ReadRoutingModule } from './read-routing.module';

const withReplicas = (urls: string[]) => ({ replicas: { urls } }) as unknown as DatabaseConfig;

describe(ReadRoutingModule.name, () => {
  it('should register the global read-routing interceptor only when replicas are configured', () => {
    expect(ReadRoutingModule.register(withReplicas([])).providers).toEqual([]);
    expect(ReadRoutingModule.register(withReplicas(['postgres://replica/db'])).providers).toEqual([
      { provide: APP_INTERCEPTOR, useClass: ReadRoutingInterceptor },
    ]);
  });
});
