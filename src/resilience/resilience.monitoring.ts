import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { MetricsService, PerformanceStatsRegistry, ReadinessRegistry } from '../monitoring';
import { CircuitBreakerManager } from './circuit-breaker.manager';
import { BreakerState, CallOutcome } from './engine/breaker-types';

const STATE_VALUES: Record<BreakerState, number> = {
  closed: 0,
  half_open: 1,
  open: 2,
  forced_open: 3,
  disabled: 4,
};

/**
 * Puts the breakers into `/performance/stats`, `/health/performance`, `/metrics` and readiness.
 * An open breaker never touches liveness; it fails readiness only when marked `critical`.
 */
@Injectable()
export class ResilienceMonitoring implements OnApplicationBootstrap {
  private readonly registeredChecks = new Set<string>();

  constructor(
    private readonly manager: CircuitBreakerManager,
    private readonly metrics: MetricsService,
    private readonly stats: PerformanceStatsRegistry,
    private readonly readiness: ReadinessRegistry,
  ) {}

  onApplicationBootstrap(): void {
    const manager = this.manager;
    this.stats.register({
      name: 'circuit_breakers',
      stats: () => manager.getAllMetrics(),
      summary: {
        key: 'circuit_breakers',
        value: () =>
          Object.fromEntries(manager.list().map((breaker) => [breaker.name, breaker.state])),
      },
    });
    this.metrics.gauge({
      name: 'circuit_breaker_state',
      help: 'Breaker state: 0 closed, 1 half_open, 2 open, 3 forced_open, 4 disabled',
      labelNames: ['name'],
      collect() {
        this.reset();
        manager
          .list()
          .forEach((breaker) => this.set({ name: breaker.name }, STATE_VALUES[breaker.state]));
      },
    });
    this.metrics.counter({
      name: 'circuit_breaker_calls_total',
      help: 'Calls through breakers by outcome',
      labelNames: ['name', 'outcome'],
      collect() {
        this.reset();
        for (const breaker of manager.list()) {
          for (const [outcome, count] of Object.entries(breaker.counts) as Array<
            [CallOutcome, number]
          >) {
            this.inc({ name: breaker.name, outcome }, count);
          }
        }
      },
    });
    for (const breaker of manager.list()) {
      this.registerReadiness(breaker.name);
    }
    // Breakers first used after boot (through `manager.call`) get their readiness check too.
    manager.onCreated((breaker) => this.registerReadiness(breaker.name));
  }

  private registerReadiness(name: string): void {
    if (this.registeredChecks.has(name)) {
      return;
    }
    this.registeredChecks.add(name);
    const breaker = this.manager.get(name);
    this.readiness.register({
      name: `breaker:${name}`,
      group: 'breakers',
      critical: breaker.options.critical,
      check: () =>
        Promise.resolve({
          up: breaker.state !== 'open' && breaker.state !== 'forced_open',
          details: { state: breaker.state },
        }),
    });
  }
}
