import { Injectable, OnModuleInit } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { READINESS_GROUPS } from '../monitoring.config';
import { DependencyCheck, HealthIndicatorRegistry } from './health-indicator.registry';
import { CheckOutcome, ReadinessRegistry } from './readiness.registry';

/** Maps a terminus indicator result to a readiness outcome. */
export function toOutcome(result: HealthIndicatorResult, key: string): CheckOutcome {
  const { status, ...details } = result[key];
  return { up: status === 'up', details };
}

/** Position of a check's group in `READINESS_GROUPS` (unknown groups last). */
function rank({ group, name }: DependencyCheck): number {
  const index = (READINESS_GROUPS as readonly string[]).indexOf(group ?? name);
  return index < 0 ? READINESS_GROUPS.length : index;
}

/**
 * Adds the dependency checks their owners registered (PostgreSQL and its schema from
 * persistence, Redis from redis) to readiness, ordered by group: database, then redis, ...
 */
@Injectable()
export class DependencyChecks implements OnModuleInit {
  constructor(
    private readonly readiness: ReadinessRegistry,
    private readonly indicators: HealthIndicatorRegistry,
  ) {}

  onModuleInit(): void {
    const checks = this.indicators.take().sort((a, b) => rank(a) - rank(b));
    for (const { name, group, critical, indicator } of checks) {
      this.readiness.register({
        name,
        group,
        critical,
        check: async () => toOutcome(await indicator.isHealthy(name), name),
      });
    }
  }
}
