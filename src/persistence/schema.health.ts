import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MIGRATIONS_TABLE } from './data-source-options';

const UNDEFINED_TABLE = '42P01';

/**
 * Schema health: whether the newest migration this code ships has run on the database. One
 * indexed lookup per probe until it has; from then on the answer is cached (migrations are not
 * reverted under a running release). An instance whose schema is behind reports `down`, so a
 * rollout never takes traffic before its migration Job ran.
 *
 * @publicApi
 */
@Injectable()
export class SchemaHealthIndicator {
  private readonly latest: string | undefined;
  private applied = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly health: HealthIndicatorService,
  ) {
    this.latest = newestMigration(dataSource);
  }

  /** `up` once the newest known migration is in the migrations table; `down` names it. */
  async isHealthy<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.health.check(key);
    if (this.applied || this.latest === undefined) {
      return indicator.up({ latest_migration: this.latest ?? null });
    }
    try {
      const rows: unknown[] = await this.dataSource.query(
        `SELECT 1 FROM "${MIGRATIONS_TABLE}" WHERE "name" = $1 LIMIT 1`,
        [this.latest],
      );
      this.applied = rows.length > 0;
    } catch (error) {
      if ((error as { code?: string }).code !== UNDEFINED_TABLE) {
        return indicator.down({ reason: error instanceof Error ? error.name : 'error' });
      }
    }
    return this.applied
      ? indicator.up({ latest_migration: this.latest })
      : indicator.down({ reason: 'migrations pending', pending_migration: this.latest });
  }
}

/** Name of the migration with the newest timestamp (TypeORM names end in a 13-digit one). */
function newestMigration(dataSource: DataSource): string | undefined {
  const stamp = (name: string) => Number(/(\d{13})$/.exec(name)?.[1] ?? 0);
  return dataSource.migrations
    .map((migration) => migration.name ?? migration.constructor.name)
    .reduce<string | undefined>(
      (newest, name) => (newest === undefined || stamp(name) > stamp(newest) ? name : newest),
      undefined,
    );
}
