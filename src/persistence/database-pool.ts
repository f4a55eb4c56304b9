import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { databaseConfig } from './persistence.config';

type BudgetRow = { max_connections: string; reserved: string };

/** Point-in-time numbers of the connection pool. */
export interface PoolStats {
  /** Connections open (idle + in use). */
  total: number;
  idle: number;
  inUse: number;
  /** Requests waiting for a connection. */
  waiting: number;
  min: number;
  max: number;
}

/**
 * The pg pool behind the data source: pre-opens `POOL_SIZE` connections at boot (pg-pool does
 * not), checks the connection budget against the server, and reports pool numbers.
 */
@Injectable()
export class DatabasePool implements OnApplicationBootstrap {
  private readonly logger = new Logger(DatabasePool.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.checkBudget();
    if (this.config.pool.warmup) {
      await this.warmUp();
    }
  }

  /** Numbers of the pool right now. */
  stats(): PoolStats {
    const pool = this.pool();
    const total = pool?.totalCount ?? 0;
    const idle = pool?.idleCount ?? 0;
    return {
      total,
      idle,
      inUse: total - idle,
      waiting: pool?.waitingCount ?? 0,
      min: this.config.pool.min,
      max: this.config.pool.max,
    };
  }

  /** Opens connections up to `min` at once, so the first burst does not pay for connects. */
  async warmUp(): Promise<void> {
    const pool = this.pool();
    if (!pool) {
      return;
    }
    const missing = Math.max(0, this.config.pool.min - pool.totalCount);
    const clients = await Promise.all(Array.from({ length: missing }, () => pool.connect()));
    clients.forEach((client) => client.release());
  }

  /**
   * Warns when all expected instances at `max` would exceed a server's `max_connections`: the
   * primary, and each replica (its own pool of the same size). The replica monitor's connections
   * count too (one per server per instance). A replica that does not answer is skipped.
   */
  async checkBudget(): Promise<void> {
    const replicas = this.replicaPools();
    const monitorConnections = replicas.length > 0 ? 1 : 0;
    await this.checkServerBudget(
      'primary',
      (sql) => this.dataSource.query<BudgetRow[]>(sql),
      monitorConnections,
    );
    await Promise.all(
      replicas.map((pool, index) =>
        this.checkServerBudget(
          `replica-${index}`,
          async (sql) => (await pool.query<BudgetRow>(sql)).rows,
          monitorConnections,
        ).catch(() => this.logger.warn(`replica-${index} did not answer the budget check`)),
      ),
    );
  }

  private async checkServerBudget(
    server: string,
    query: (sql: string) => Promise<BudgetRow[]>,
    extraPerInstance: number,
  ): Promise<void> {
    const rows = await query(
      `SELECT current_setting('max_connections') AS max_connections,
              current_setting('superuser_reserved_connections') AS reserved`,
    );
    const available = Number(rows[0].max_connections) - Number(rows[0].reserved);
    const perInstance = this.config.pool.max + extraPerInstance;
    const needed = this.config.expectedInstances * perInstance;
    if (needed > available) {
      this.logger.warn(
        `Connection budget exceeded on the ${server}: ${this.config.expectedInstances} instance(s) x (pool max ${this.config.pool.max}` +
          `${extraPerInstance > 0 ? ` + ${extraPerInstance} replica monitor` : ''}) = ${needed} connections, ` +
          `but the server allows ${available} (max_connections minus reserved). ` +
          'Lower DATABASE__POOL_SIZE/DATABASE__POOL_MAX_OVERFLOW or raise max_connections.',
      );
    }
  }

  private replicaPools(): Pool[] {
    return (this.dataSource.driver as unknown as { slaves?: Pool[] }).slaves ?? [];
  }

  private pool(): Pool | undefined {
    return (this.dataSource.driver as unknown as { master?: Pool }).master;
  }
}
