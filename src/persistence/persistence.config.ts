import { registerAs } from '@nestjs/config';
import { IsOptional, IsString, Matches, ValidateBy, ValidationArguments } from 'class-validator';
import { EnvBoolean, EnvInt } from '../config';
import { validateEnv } from '../config';

/** The key must be greater than `other` when `other` is set (not 0). */
function GreaterThanKey(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'greaterThanKey',
    validator: {
      validate: (value: unknown, args: ValidationArguments) => {
        const bound = (args.object as Record<string, unknown>)[other];
        return typeof value === 'number' && (typeof bound !== 'number' || value > bound);
      },
      defaultMessage: () => `$property must be greater than ${other}`,
    },
  });
}

const POSTGRES_URL = /^postgres(ql)?:\/\/\S+$/;

/** Comma-separated postgres:// URLs (empty = none); the message never echoes a value. */
function IsPostgresUrlList(): PropertyDecorator {
  return ValidateBy({
    name: 'isPostgresUrlList',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && splitList(value).every((url) => POSTGRES_URL.test(url)),
      defaultMessage: () => '$property must be a comma-separated list of postgres:// URLs',
    },
  });
}

/** The non-empty entries of a comma-separated list (`DATABASE__REPLICA_URLS`). */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
}

/** Env keys of the database connection and its pool (see the README's pool mapping). */
export class DatabaseEnv {
  /** postgres:// URL. When unset, `npm start` runs an embedded PostgreSQL in `.data/`. */
  @IsOptional()
  @IsString()
  @Matches(POSTGRES_URL, { message: '$property must be a postgres:// URL' })
  DATABASE__URL?: string;

  /** Connections kept open (pg `min`), pre-opened at boot when warm-up is on. */
  @EnvInt(1, 1000)
  DATABASE__POOL_SIZE = 10;

  /** Extra connections allowed under load: pg `max = POOL_SIZE + POOL_MAX_OVERFLOW`. */
  @EnvInt(0, 1000)
  DATABASE__POOL_MAX_OVERFLOW = 10;

  /**
   * Seconds a request waits for a free connection before it gets 503 + Retry-After; also bounds
   * opening a new connection (pg uses one `connectionTimeoutMillis` for both).
   */
  @EnvInt(1, 600)
  DATABASE__POOL_TIMEOUT = 5;

  /** Seconds a connection lives before it is closed and replaced (pg `maxLifetimeSeconds`). */
  @EnvInt(0, 86400)
  DATABASE__POOL_RECYCLE = 3600;

  /** Milliseconds an idle connection above `min` stays open. */
  @EnvInt(0, 3600000)
  DATABASE__POOL_IDLE_TIMEOUT_MS = 30000;

  /** Server-side `statement_timeout` for every connection, in ms (0 = none). */
  @EnvInt(0, 3600000)
  DATABASE__STATEMENT_TIMEOUT_MS = 30000;

  /**
   * Client-side bound on every query (pg `query_timeout`), in ms: a server that does not answer
   * at all (frozen, cut off without a reset) fails the query with 503 instead of keeping it
   * until TCP gives up. Above `STATEMENT_TIMEOUT_MS`, so the server's own cancel normally wins.
   */
  @EnvInt(100, 3600000)
  @GreaterThanKey('DATABASE__STATEMENT_TIMEOUT_MS')
  DATABASE__QUERY_TIMEOUT_MS = 32000;

  /** Queries slower than this are logged as slow (ms; pool wait is not counted). */
  @EnvInt(1, 3600000)
  DATABASE__SLOW_QUERY_MS = 500;

  /** Run pending migrations at boot. */
  @EnvBoolean()
  DATABASE__RUN_MIGRATIONS = true;

  /** Open `POOL_SIZE` connections at boot so the first burst does not pay for connects. */
  @EnvBoolean()
  DATABASE__POOL_WARMUP = true;

  /** Instances of this service expected to share the server; used by the boot-time budget check. */
  @EnvInt(1, 10000)
  DATABASE__EXPECTED_INSTANCES = 1;

  /**
   * Streaming replicas for lag-tolerant reads, comma-separated postgres:// URLs. Empty: every
   * statement runs on `DATABASE__URL`, as without replicas.
   */
  @IsPostgresUrlList()
  @ValidateBy({
    name: 'replicasNeedUrl',
    validator: {
      validate: (value: unknown, args: ValidationArguments) =>
        !value || (args.object as Record<string, unknown>).DATABASE__URL !== undefined,
      defaultMessage: () => '$property needs DATABASE__URL (the embedded server has no replicas)',
    },
  })
  DATABASE__REPLICA_URLS = '';

  /**
   * A replica whose replay is further behind the primary than this (ms) is skipped. 5 s: public
   * entries live 60-3600 s in the response cache anyway, writers read their own writes from the
   * primary, and a replica that far behind is usually stuck (a replay conflict, a paused replay).
   */
  @EnvInt(100, 86400000)
  DATABASE__REPLICA_MAX_LAG_MS = 5000;

  /** How often each replica's reachability and replay position are polled (ms). */
  @EnvInt(50, 60000)
  DATABASE__REPLICA_CHECK_INTERVAL_MS = 500;

  /** Bound on one replica check (connect + statement, ms); a check that takes longer marks it down. */
  @EnvInt(50, 60000)
  DATABASE__REPLICA_CHECK_TIMEOUT_MS = 1000;

  /**
   * Bound on the Redis lookups and writes of the read-your-writes marks (ms). A read whose lookup
   * fails or times out goes to the primary.
   */
  @EnvInt(5, 10000)
  DATABASE__REPLICA_REDIS_TIMEOUT_MS = 50;

  /**
   * Named (server-side) prepared statements for hot list reads (`SqlReader`). Turn off behind a
   * PgBouncer in transaction mode older than 1.21 or without `max_prepared_statements`.
   */
  @EnvBoolean()
  DATABASE__PREPARED_STATEMENTS = true;

  /** Data directory of the embedded PostgreSQL (used only when DATABASE__URL is unset). */
  @IsString()
  DATABASE__EMBEDDED_DIR = '.data/postgres';

  /** Port of the embedded PostgreSQL. */
  @EnvInt(1024, 65535)
  DATABASE__EMBEDDED_PORT = 54329;
}

/** Typed `database` namespace. */
export const databaseConfig = registerAs('database', () => {
  const env = validateEnv(DatabaseEnv, process.env);
  return {
    url: env.DATABASE__URL,
    pool: {
      min: env.DATABASE__POOL_SIZE,
      max: env.DATABASE__POOL_SIZE + env.DATABASE__POOL_MAX_OVERFLOW,
      acquireTimeoutMs: env.DATABASE__POOL_TIMEOUT * 1000,
      maxLifetimeSeconds: env.DATABASE__POOL_RECYCLE,
      idleTimeoutMs: env.DATABASE__POOL_IDLE_TIMEOUT_MS,
      warmup: env.DATABASE__POOL_WARMUP,
    },
    statementTimeoutMs: env.DATABASE__STATEMENT_TIMEOUT_MS,
    queryTimeoutMs: env.DATABASE__QUERY_TIMEOUT_MS,
    slowQueryMs: env.DATABASE__SLOW_QUERY_MS,
    runMigrations: env.DATABASE__RUN_MIGRATIONS,
    expectedInstances: env.DATABASE__EXPECTED_INSTANCES,
    embedded: { dir: env.DATABASE__EMBEDDED_DIR, port: env.DATABASE__EMBEDDED_PORT },
    preparedStatements: env.DATABASE__PREPARED_STATEMENTS,
    replicas: {
      urls: splitList(env.DATABASE__REPLICA_URLS),
      maxLagMs: env.DATABASE__REPLICA_MAX_LAG_MS,
      checkIntervalMs: env.DATABASE__REPLICA_CHECK_INTERVAL_MS,
      checkTimeoutMs: env.DATABASE__REPLICA_CHECK_TIMEOUT_MS,
      redisTimeoutMs: env.DATABASE__REPLICA_REDIS_TIMEOUT_MS,
    },
  };
});

export type DatabaseConfig = ReturnType<typeof databaseConfig>;
