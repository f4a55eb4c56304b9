import { Injectable, OnModuleInit } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { SchemaHealthIndicator } from '../../persistence';
import { RedisHealthIndicator } from '../../redis';
import { DatabaseHealthIndicator } from './database.health';
import { CheckOutcome, ReadinessRegistry } from './readiness.registry';

/** Maps a terminus indicator result to a readiness outcome. */
export function toOutcome(result: HealthIndicatorResult, key: string): CheckOutcome {
  const { status, ...details } = result[key];
  return { up: status === 'up', details };
}

/**
 * Registers the readiness checks of the dependencies monitoring itself knows: PostgreSQL, its
 * schema (newest migration applied; in the `database` group) and Redis.
 */
@Injectable()
export class DependencyChecks implements OnModuleInit {
  constructor(
    private readonly registry: ReadinessRegistry,
    private readonly database: DatabaseHealthIndicator,
    private readonly schema: SchemaHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'database',
      check: async () => toOutcome(await this.database.isHealthy('database'), 'database'),
    });
    this.registry.register({
      name: 'schema',
      group: 'database',
      check: async () => toOutcome(await this.schema.isHealthy('schema'), 'schema'),
    });
    this.registry.register({
      name: 'redis',
      check: async () => toOutcome(await this.redis.isHealthy('redis'), 'redis'),
    });
  }
}
