import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabasePool } from './database-pool';

/**
 * PostgreSQL health: `SELECT 1` through the app's pool (so a saturated or unreachable pool
 * shows), with the pool numbers. The readiness service bounds the time.
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly pool: DatabasePool,
    private readonly health: HealthIndicatorService,
  ) {}

  /** Runs `SELECT 1`; `down` names the error class only. */
  async isHealthy<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.health.check(key);
    const { total, idle, waiting, max } = this.pool.stats();
    const pool = { total, idle, waiting, max };
    try {
      await this.dataSource.query('SELECT 1');
      return indicator.up({ pool });
    } catch (error) {
      return indicator.down({ pool, reason: error instanceof Error ? error.name : 'error' });
    }
  }
}
