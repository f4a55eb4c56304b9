import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Client } from 'pg';
import { databaseConfig } from '../persistence.config';
import { parseLsn, type Lsn } from './lsn';
import { LagEstimator } from './replica-lag';
import { isUsable, type ReplicaState } from './read-target';

const REPLICA_CHECK = `SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS replayed`;
const PRIMARY_CHECK = `SELECT pg_current_wal_lsn()::text AS lsn`;

/** One dedicated monitoring connection, reopened after any failure. */
class CheckConnection {
  private client?: Promise<Client>;

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  async query<Row>(text: string): Promise<Row> {
    this.client ??= this.open();
    try {
      const client = await this.client;
      const result = await client.query<Row & object>(text);
      return result.rows[0];
    } catch (error) {
      this.close();
      throw error;
    }
  }

  close(): void {
    const client = this.client;
    this.client = undefined;
    void client?.then((c) => c.end()).catch(() => undefined);
  }

  private async open(): Promise<Client> {
    const client = new Client({
      connectionString: this.url,
      connectionTimeoutMillis: this.timeoutMs,
      query_timeout: this.timeoutMs,
      statement_timeout: this.timeoutMs,
      application_name: 'agentic-engine-replica-monitor',
    });
    client.on('error', () => undefined); // the next query fails and reopens
    await client.connect();
    return client;
  }
}

/**
 * Polls the primary's WAL position and each replica's reachability and replay position every
 * `DATABASE__REPLICA_CHECK_INTERVAL_MS` on one connection per server (bounded by
 * `DATABASE__REPLICA_CHECK_TIMEOUT_MS`), and keeps each replica's {@link ReplicaState}: lag is
 * measured against the primary's position over time ({@link LagEstimator}), so an idle primary
 * reads as no lag. Readers that fail on a replica mark it down at once ({@link markDown}).
 */
@Injectable()
export class ReplicaMonitor implements OnModuleInit, OnApplicationShutdown {
  readonly replicas: ReplicaState[];
  private readonly logger = new Logger(ReplicaMonitor.name);
  private readonly lag: LagEstimator;
  private readonly primary?: CheckConnection;
  private readonly connections: CheckConnection[];
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;

  constructor(
    @Inject(databaseConfig.KEY) private readonly config: ConfigType<typeof databaseConfig>,
  ) {
    const { urls, checkTimeoutMs, maxLagMs } = config.replicas;
    this.replicas = urls.map((_, index) => ({
      name: `replica-${index}`,
      up: false,
      lagMs: 0,
      reason: 'unchecked',
    }));
    this.connections = urls.map((url) => new CheckConnection(url, checkTimeoutMs));
    // Lag is capped at the horizon; keep more than the bound so "beyond max lag" shows.
    this.lag = new LagEstimator(maxLagMs * 2 + 60_000);
    if (config.url && urls.length > 0) {
      this.primary = new CheckConnection(config.url, checkTimeoutMs);
    }
  }

  /** Whether replicas are configured at all. */
  get enabled(): boolean {
    return this.replicas.length > 0;
  }

  /** Replicas that may serve reads right now. */
  usable(): ReplicaState[] {
    return this.replicas.filter((replica) => isUsable(replica, this.config.replicas.maxLagMs));
  }

  async onModuleInit(): Promise<void> {
    if (!this.enabled) {
      return;
    }
    await this.poll(); // a replica serves reads only after a successful check
    this.timer = setInterval(() => {
      this.polling ??= this.poll().finally(() => (this.polling = undefined));
    }, this.config.replicas.checkIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
    this.primary?.close();
    this.connections.forEach((connection) => connection.close());
  }

  /** A reader saw the replica fail: skip it until a check succeeds again. */
  markDown(index: number): void {
    const replica = this.replicas[index];
    if (replica.up) {
      this.logger.warn(
        `${replica.name} failed a read; reads go elsewhere until it answers a check`,
      );
    }
    replica.up = false;
    replica.reason = 'unreachable';
  }

  /** One round of checks: the primary's position first, then every replica at once. */
  async poll(): Promise<void> {
    const primary = await this.primary
      ?.query<{ lsn: string }>(PRIMARY_CHECK)
      .then((row) => parseLsn(row.lsn))
      .catch(() => undefined);
    if (primary !== undefined) {
      this.lag.primaryAt(primary, Date.now());
    }
    await Promise.all(this.replicas.map((replica, index) => this.check(replica, index)));
  }

  private async check(replica: ReplicaState, index: number): Promise<void> {
    const was = replica.reason;
    try {
      const row = await this.connections[index].query<{
        standby: boolean;
        replayed: string | null;
      }>(REPLICA_CHECK);
      const replayed: Lsn | undefined = parseLsn(row.replayed);
      replica.up = true;
      replica.replayed = replayed;
      replica.lagMs = replayed === undefined ? Infinity : this.lag.lagMs(replayed, Date.now());
      replica.reason = !row.standby
        ? 'not_standby'
        : replica.lagMs > this.config.replicas.maxLagMs
          ? 'lagging'
          : undefined;
    } catch {
      replica.up = false;
      replica.reason = 'unreachable';
    }
    if (replica.reason !== was && was !== 'unchecked') {
      this.logger.warn(`${replica.name}: ${replica.reason ?? 'serving reads again'}`);
    }
  }
}
