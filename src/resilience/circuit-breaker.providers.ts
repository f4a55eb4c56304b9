import { Provider } from '@nestjs/common';
import { BreakerOptions } from './breaker-options';
import { CircuitBreakerManager } from './circuit-breaker.manager';
import { getCircuitBreakerToken } from './resilience.constants';

/** A named breaker registered by the module that calls the dependency. */
export interface BreakerFeature extends Partial<BreakerOptions> {
  name: string;
}

/** One provider per breaker name, resolved from the manager (so every injector shares it). */
export function createCircuitBreakerProviders(features: BreakerFeature[]): Provider[] {
  return features.map(({ name, ...options }) => ({
    provide: getCircuitBreakerToken(name),
    inject: [CircuitBreakerManager],
    useFactory: (manager: CircuitBreakerManager) => manager.get(name, options),
  }));
}
