import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import { MonitoringCoreModule } from '../monitoring';
import { CircuitBreakerExplorer } from './circuit-breaker.explorer';
import { CircuitBreakerManager } from './circuit-breaker.manager';
import { BreakerFeature, createCircuitBreakerProviders } from './circuit-breaker.providers';
import { ResilienceErrorFilter } from './resilience-error.filter';
import { ResilienceController } from './resilience.controller';
import { ResilienceMonitoring } from './resilience.monitoring';
import { ConfigurableModuleClass } from './resilience.module-definition';

/**
 * Circuit breakers on opossum with honest deadlines, bulkheads and retries: `forRoot(defaults)`
 * once (global), `forFeature([{ name, ...options }])` per dependency in the calling module,
 * `@CircuitBreaker('name')` on service methods, and `CircuitBreakerManager.call()`.
 */
@Module({
  imports: [DiscoveryModule, MonitoringCoreModule],
  controllers: [ResilienceController],
  providers: [
    CircuitBreakerManager,
    CircuitBreakerExplorer,
    ResilienceMonitoring,
    { provide: APP_FILTER, useClass: ResilienceErrorFilter },
  ],
  exports: [CircuitBreakerManager],
})
export class ResilienceModule extends ConfigurableModuleClass {
  /** Registers named breakers (injectable with `@InjectCircuitBreaker(name)`). */
  static forFeature(features: BreakerFeature[]): DynamicModule {
    const providers = createCircuitBreakerProviders(features);
    return { module: ResilienceFeatureModule, providers, exports: providers };
  }
}

/** @internal host module of `forFeature` providers. */
@Module({})
class ResilienceFeatureModule {}
