import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import { DataSource, QueryFailedError, type ReplicationMode } from 'typeorm';
import { classifyDriverError } from '../errors/classify-database-error';
import { databaseConfig } from '../persistence.config';
import { QueryObserver } from '../query-observer';
import { changesData } from '../sql-text';
import { currentReadScope } from './read-scope';
import { chooseReadTarget, type ReadReason, type ReadTarget } from './read-target';
import { ReplicaMonitor } from './replica-monitor';
import { WriteMarks } from './write-marks';

type Acquired = [PoolClient, (error?: Error) => void];

/** The parts of TypeORM's PostgreSQL driver and query runner that routing hooks into. */
interface RoutedDriver {
  master: Pool;
  slaves: Pool[];
  obtainMasterConnection(): Promise<Acquired>;
  obtainSlaveConnection(): Promise<Acquired>;
  createQueryRunner(mode: ReplicationMode): RoutedRunner;
}
interface RoutedRunner {
  mode: ReplicationMode;
  isReleased: boolean;
  isTransactionActive: boolean;
  databaseConnection?: PoolClient;
  databaseConnectionPromise?: Promise<PoolClient>;
  releasePostgresConnection(error?: Error): Promise<void>;
  query(...args: unknown[]): Promise<unknown>;
}

/** Receives every routed read: the target's name and why. */
export type ReadListener = (target: string, reason: ReadReason) => void;

/**
 * The one place that decides where a read runs. TypeORM sends reads outside transactions to
 * `obtainSlaveConnection` (replication mode), and `SqlReader` asks {@link readPool}; both land
 * in {@link target}, which applies {@link chooseReadTarget} to the request's read scope and the
 * monitor's view. Writes, transactions and raw `query()` calls stay on the primary. A read that
 * fails on a replica because it is unreachable (or a recovery conflict) marks it down and runs
 * again on the primary, so a replica outage costs no failed request.
 */
@Injectable()
export class ReadRouter implements OnModuleInit {
  private turn = 0;
  private readonly listeners = new Set<ReadListener>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
    private readonly monitor: ReplicaMonitor,
    private readonly marks: WriteMarks,
    observer: QueryObserver,
  ) {
    observer.onQuery(({ sql }) => {
      const scope = currentReadScope();
      if (scope && !scope.wrote && changesData(sql)) {
        scope.wrote = true;
      }
    });
  }

  onModuleInit(): void {
    if (this.monitor.enabled) {
      this.install(this.dataSource.driver as unknown as RoutedDriver);
    }
  }

  /** Subscribes to routed reads (metrics); returns the unsubscribe function. */
  onRead(listener: ReadListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Where the current read goes. */
  async target(): Promise<ReadTarget> {
    const scope = currentReadScope();
    if (!scope?.lagTolerant || scope.wrote || this.monitor.usable().length === 0) {
      return chooseReadTarget(
        { lagTolerant: !!scope?.lagTolerant, wrote: !!scope?.wrote, required: 0 },
        this.monitor.replicas,
        this.config.replicas.maxLagMs,
        0,
      );
    }
    scope.required ??= this.marks.required(scope.principal, scope.fillsCache);
    const required = await scope.required;
    const target = chooseReadTarget(
      { lagTolerant: true, wrote: scope.wrote, required, preferred: scope.replica },
      this.monitor.replicas,
      this.config.replicas.maxLagMs,
      this.turn++,
    );
    scope.replica = target.index ?? scope.replica;
    return target;
  }

  /** The pool the current read should use, and the replica index when it is one. */
  async readPool(): Promise<{ pool: Pool; replica?: number }> {
    const driver = this.dataSource.driver as unknown as RoutedDriver;
    if (!this.monitor.enabled) {
      return { pool: driver.master };
    }
    const target = await this.target();
    this.report(target);
    return target.index === undefined
      ? { pool: driver.master }
      : { pool: driver.slaves[target.index], replica: target.index };
  }

  /** Whether a read that failed on a replica should run again on the primary. */
  shouldRetryOnPrimary(error: unknown): boolean {
    const cause: unknown =
      error instanceof QueryFailedError ? (error.driverError as unknown) : error;
    const code = (cause as { code?: unknown } | undefined)?.code;
    // A statement timeout is the query's own cost: the primary would pay it again.
    return code !== '57014' && classifyDriverError(cause)?.status === 503;
  }

  /** The replica failed a read: skip it until the monitor sees it answer again. */
  replicaFailed(index: number): void {
    this.monitor.markDown(index);
  }

  private report(target: ReadTarget): void {
    const name = target.index === undefined ? 'primary' : `replica-${target.index}`;
    for (const listener of this.listeners) {
      listener(name, target.reason);
    }
  }

  private install(driver: RoutedDriver): void {
    const connections = new WeakMap<PoolClient, number>();
    driver.obtainSlaveConnection = async () => {
      const { pool, replica } = await this.readPool();
      if (replica === undefined) {
        return driver.obtainMasterConnection();
      }
      try {
        const client = await pool.connect();
        connections.set(client, replica);
        return [client, (error?: Error) => client.release(error)];
      } catch {
        this.replicaFailed(replica);
        return driver.obtainMasterConnection();
      }
    };
    const createQueryRunner = driver.createQueryRunner.bind(driver);
    driver.createQueryRunner = (mode) => {
      const runner = createQueryRunner(mode);
      if (mode === 'slave') {
        this.retryOnPrimary(runner, connections);
      }
      return runner;
    };
  }

  /**
   * A read runner whose replica fails (outside a transaction) drops that connection, switches to
   * the primary and runs the statement again there. Leans on PostgresQueryRunner's fields.
   */
  private retryOnPrimary(runner: RoutedRunner, connections: WeakMap<PoolClient, number>): void {
    const query = runner.query.bind(runner);
    runner.query = async (...args: unknown[]) => {
      try {
        return await query(...args);
      } catch (error) {
        const connection = runner.databaseConnection;
        const replica = connection && connections.get(connection);
        if (
          replica === undefined ||
          runner.isTransactionActive ||
          !this.shouldRetryOnPrimary(error)
        ) {
          throw error;
        }
        this.replicaFailed(replica);
        // Drops the broken connection (a no-op when its 'error' event did already), then
        // makes the runner connect again, to the primary.
        await runner.releasePostgresConnection(error as Error);
        runner.isReleased = false;
        runner.databaseConnection = undefined;
        runner.databaseConnectionPromise = undefined;
        runner.mode = 'master';
        this.report({ reason: 'no_healthy_replica' });
        return query(...args);
      }
    };
  }
}
