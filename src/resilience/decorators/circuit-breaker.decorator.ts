import { SetMetadata } from '@nestjs/common';
import { BreakerOptions } from '../breaker-options';
import { CIRCUIT_BREAKER_METADATA } from '../resilience.constants';

/** Options of `@CircuitBreaker`. */
export interface CircuitBreakerDecoratorOptions<F extends string> {
  /**
   * Name of a method of the same class called with the original arguments plus the error when the
   * call fails or is rejected. A name that is not a method of the class is a compile error (and
   * is checked again at boot). @default none: the error propagates
   */
  fallback?: F;
  /** Options used when this decorator creates the breaker. @default env and module defaults */
  config?: Partial<BreakerOptions>;
}

/** @internal */
export interface CircuitBreakerMetadata {
  name: string;
  fallback?: string;
  config?: Partial<BreakerOptions>;
}

/**
 * Runs the method through the named breaker (one breaker per dependency, shared by every method
 * naming it). Methods are wrapped once at boot by the resilience explorer. If the method's last
 * parameter is typed `AbortSignal`, it receives the per-call signal aborted at the deadline.
 *
 * @example
 * ```ts
 * @CircuitBreaker('external_api', { fallback: 'cached' })
 * async fetchData(signal?: AbortSignal): Promise<Data> {}
 * cached(error: unknown): Data {}
 * ```
 * @publicApi
 */
export function CircuitBreaker<F extends string = never>(
  name: string,
  options: CircuitBreakerDecoratorOptions<F> = {},
) {
  // The target type requires the fallback name to be a method: a misspelling fails `tsc`.
  return <T extends Record<F, (...args: never[]) => unknown>>(
    target: T,
    key: string | symbol,
    descriptor: PropertyDescriptor,
  ): void => {
    const metadata: CircuitBreakerMetadata = {
      name,
      fallback: options.fallback,
      config: options.config,
    };
    SetMetadata(CIRCUIT_BREAKER_METADATA, metadata)(target, key, descriptor);
  };
}
