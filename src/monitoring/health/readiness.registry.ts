import { Injectable } from '@nestjs/common';

/** What a readiness check reports. `details` reach admins only. */
export interface CheckOutcome {
  up: boolean;
  details?: Record<string, unknown>;
}

/**
 * A named dependency check for `/health/ready`, registered by the module that owns the
 * dependency.
 */
export interface ReadinessCheck {
  /** Unique name shown in the report, e.g. `redis` or `queue:compute`. */
  name: string;
  /**
   * Group matched against `MONITORING__READINESS_REQUIRED` (`database`, `redis`, `queues`,
   * `breakers`): when listed there, an outage fails readiness (503); otherwise it only degrades it.
   * @default the check's name
   */
  group?: string;
  /** Always fail readiness on outage, whatever the env says. @default false */
  critical?: boolean;
  /** Time limit of this check in ms. @default MONITORING__CHECK_TIMEOUT_MS */
  timeoutMs?: number;
  check: () => Promise<CheckOutcome>;
}

/**
 * Where modules register their readiness checks.
 *
 * @example
 * ```ts
 * readiness.register({
 *   name: 'queue:compute',
 *   group: 'queues',
 *   check: async () => ({ up: await queue.isReady().then(() => true, () => false) }),
 * });
 * ```
 * @publicApi
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Adds a check; returns the function that removes it. A name may be registered once. */
  register(check: ReadinessCheck): () => void {
    if (this.checks.has(check.name)) {
      throw new Error(`Readiness check "${check.name}" is already registered`);
    }
    this.checks.set(check.name, check);
    return () => this.checks.delete(check.name);
  }

  /** The registered checks, in registration order. */
  list(): ReadinessCheck[] {
    return [...this.checks.values()];
  }
}
