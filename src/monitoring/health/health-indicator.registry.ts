import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * A dependency's health in terminus's shape: an `isHealthy(key)` built on `HealthIndicatorService`,
 * kept by the module that owns the dependency (like terminus's `dog.health.ts` beside `dog.module.ts`).
 */
export interface HealthIndicator {
  isHealthy<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>>;
}

/** A named dependency check for the readiness probe, with its criticality. */
export interface DependencyCheck {
  /** Name in the readiness report and the indicator's key, e.g. `database` or `redis`. */
  name: string;
  /**
   * Group matched against `MONITORING__READINESS_REQUIRED`; also orders the dependency checks in
   * the report (by `READINESS_GROUPS`, then registration order).
   * @default the check's name
   */
  group?: string;
  /** Always fail readiness on outage, whatever the env says. @default false */
  critical?: boolean;
  indicator: HealthIndicator;
}

/**
 * Where a platform module registers the health indicator of a dependency it owns (PostgreSQL,
 * Redis). The monitoring module turns them into readiness checks while the modules initialize,
 * so register from a constructor; a later registration throws instead of going unseen.
 *
 * @example
 * ```ts
 * constructor(indicators: HealthIndicatorRegistry, redis: RedisHealthIndicator) {
 *   indicators.register({ name: 'redis', indicator: redis });
 * }
 * ```
 * @publicApi
 */
@Injectable()
export class HealthIndicatorRegistry {
  private readonly checks = new Map<string, DependencyCheck>();
  private taken = false;

  /** Adds a dependency check. A name may be registered once. */
  register(check: DependencyCheck): void {
    if (this.taken) {
      throw new Error(
        `Health indicator "${check.name}" registered after readiness was assembled: register it from a constructor`,
      );
    }
    if (this.checks.has(check.name)) {
      throw new Error(`Health indicator "${check.name}" is already registered`);
    }
    this.checks.set(check.name, check);
  }

  /** @internal the checks in registration order; from then on `register` throws. */
  take(): DependencyCheck[] {
    this.taken = true;
    return [...this.checks.values()];
  }
}
