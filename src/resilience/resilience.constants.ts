/** Metadata key of `@CircuitBreaker()`. */
export const CIRCUIT_BREAKER_METADATA = 'resilience:circuit-breaker';

/** Injection token of the breaker named `name` (see `InjectCircuitBreaker`). */
export function getCircuitBreakerToken(name: string): string {
  return `resilience:breaker:${name}`;
}
