import { Inject } from '@nestjs/common';
import { getCircuitBreakerToken } from '../resilience.constants';

/**
 * Injects the breaker registered with `ResilienceModule.forFeature([{ name }])`.
 *
 * @example
 * ```ts
 * constructor(@InjectCircuitBreaker('external_api') private readonly breaker: ResilientBreaker) {}
 * ```
 * @publicApi
 */
export const InjectCircuitBreaker = (name: string): ParameterDecorator & PropertyDecorator =>
  Inject(getCircuitBreakerToken(name));
