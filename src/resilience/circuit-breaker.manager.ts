import { Inject, Injectable, NotFoundException, OnApplicationShutdown } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { BreakerOptions, DEFAULT_BREAKER_OPTIONS, ignoreClientErrors } from './breaker-options';
import { Action } from './engine/breaker-types';
import { ResilientBreaker } from './engine/resilient-breaker';
import {
  RESILIENCE_MODULE_OPTIONS,
  type ResilienceModuleOptions,
} from './resilience.module-definition';
import { resilienceConfig } from './resilience.config';

/** Options of {@link CircuitBreakerManager.call}. */
export interface CallOptions<T> {
  /** Breaker options used if this call creates the breaker (the guide's `config`). */
  config?: Partial<BreakerOptions>;
  /**
   * Answer when the call fails or is rejected (the guide's `fallback`); not for the caller's own
   * errors (4xx-like, see the module's `errorFilter`), which are thrown as they are.
   */
  fallback?: (error: unknown) => T | Promise<T>;
}

/**
 * The registry of breakers, one per downstream dependency (by name): the guide's
 * `circuit_breaker_manager`. Options merge as defaults < forRoot < RESILIENCE__DEFAULT__* <
 * forFeature/decorator/call < RESILIENCE__BREAKERS__<NAME>__* (operators can always override code).
 * A breaker's options are fixed when it is first created.
 */
@Injectable()
export class CircuitBreakerManager implements OnApplicationShutdown {
  private readonly breakers = new Map<string, ResilientBreaker>();
  private readonly createdListeners = new Set<(breaker: ResilientBreaker) => void>();

  constructor(
    @Inject(RESILIENCE_MODULE_OPTIONS) private readonly moduleOptions: ResilienceModuleOptions,
    @Inject(resilienceConfig.KEY) private readonly config: ConfigType<typeof resilienceConfig>,
  ) {}

  /** The breaker of `name`, created on first use with the merged options. */
  get(name: string, options: Partial<BreakerOptions> = {}): ResilientBreaker {
    let breaker = this.breakers.get(name);
    if (!breaker) {
      const merged: BreakerOptions = {
        ...DEFAULT_BREAKER_OPTIONS,
        ...this.moduleOptions.defaults,
        ...this.config.defaults,
        ...options,
        ...this.config.breakers[name],
      };
      breaker = new ResilientBreaker(
        name,
        merged,
        this.moduleOptions.errorFilter ?? ignoreClientErrors,
      );
      this.breakers.set(name, breaker);
      this.createdListeners.forEach((listener) => listener(breaker as ResilientBreaker));
    }
    return breaker;
  }

  /** Calls `listener` for every breaker created from now on (health checks, metrics). */
  onCreated(listener: (breaker: ResilientBreaker) => void): void {
    this.createdListeners.add(listener);
  }

  /** The guide's `call(name, func, config, fallback)`. */
  async call<T>(name: string, action: Action<T>, options: CallOptions<T> = {}): Promise<T> {
    const breaker = this.get(name, options.config);
    try {
      return await breaker.execute(action);
    } catch (error) {
      if (options.fallback && !breaker.isCallerError(error)) {
        return options.fallback(error);
      }
      throw error;
    }
  }

  /** The guide's `get_all_metrics()`: O(1) per breaker. */
  getAllMetrics(): Record<string, Record<string, unknown>> {
    return Object.fromEntries(
      [...this.breakers].map(([name, breaker]) => [name, breaker.metrics()]),
    );
  }

  /** Every breaker, for health and metrics. */
  list(): ResilientBreaker[] {
    return [...this.breakers.values()];
  }

  /** A registered breaker, or 404 (admin endpoints). */
  require(name: string): ResilientBreaker {
    const breaker = this.breakers.get(name);
    if (!breaker) {
      throw new NotFoundException(`No circuit breaker named ${name}`);
    }
    return breaker;
  }

  onApplicationShutdown(): void {
    this.breakers.forEach((breaker) => breaker.shutdown());
  }
}
