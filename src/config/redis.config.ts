import { registerAs } from '@nestjs/config';
import { IsString, Matches, ValidateBy, ValidateIf } from 'class-validator';
import { EnvInt, EnvOneOf } from './env.decorators';
import { validateEnv } from './validate-env';

/** How the service finds its Redis primary. */
export const REDIS_MODES = ['standalone', 'sentinel', 'cluster'] as const;
export type RedisMode = (typeof REDIS_MODES)[number];

/** One `host:port` of a comma list (IPv6 in brackets: `[::1]:26379`). */
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** The `host:port` entries of a comma list (empty entries dropped); undefined when one is malformed. */
export function parseHostPorts(list: string): Array<{ host: string; port: number }> | undefined {
  const entries = list
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const parsed = entries.map((entry) => HOST_PORT.exec(entry));
  if (parsed.some((match) => !match || Number(match[2]) < 1 || Number(match[2]) > 65535)) {
    return undefined;
  }
  return parsed.map((match) => ({
    host: (match as RegExpExecArray)[1].replace(/^\[|\]$/g, ''),
    port: Number((match as RegExpExecArray)[2]),
  }));
}

/** A `host:port` comma list with at least one entry, or a message naming the key and the mode. */
function HostPortList(mode: RedisMode, what: string): PropertyDecorator {
  return ValidateBy({
    name: 'hostPortList',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && (parseHostPorts(value)?.length ?? 0) > 0,
      defaultMessage: () =>
        `$property must list the ${what} as host:port (comma-separated) when REDIS__MODE=${mode}`,
    },
  });
}

/** Env keys of the shared Redis (cache and queues use the same server, each under its own prefix). */
export class RedisEnv {
  /**
   * `standalone`: one Redis at `REDIS__URL`. `sentinel`: the primary of `REDIS__SENTINEL_NAME` as
   * `REDIS__SENTINELS` report it, followed through failovers; `REDIS__URL` then only gives the
   * credentials and database number of the data nodes (its host is not used). `cluster`: a Redis
   * Cluster found through `REDIS__CLUSTER_NODES`; `REDIS__URL` then only gives the credentials.
   */
  @EnvOneOf(REDIS_MODES)
  @ValidateBy({
    name: 'modeWithoutTls',
    validator: {
      validate: (value: unknown, args) =>
        value === 'standalone' || !/^rediss:/i.test(String((args?.object as RedisEnv).REDIS__URL)),
      defaultMessage: (args) =>
        `${String(args?.value)} mode does not support TLS yet: REDIS__URL must be redis://, not rediss://`,
    },
  })
  @ValidateBy({
    name: 'clusterWithoutDatabase',
    validator: {
      validate: (value: unknown, args) =>
        value !== 'cluster' ||
        /^rediss?:\/\/[^/]*(\/0?)?$/.test(String((args?.object as RedisEnv).REDIS__URL)),
      defaultMessage: () =>
        'cluster mode has only database 0: REDIS__URL must not name another database',
    },
  })
  REDIS__MODE: RedisMode = 'standalone';

  /** Sentinels to ask for the primary (`REDIS__MODE=sentinel`): a comma list of `host:port`. */
  @ValidateIf((env: RedisEnv) => env.REDIS__MODE === 'sentinel')
  @HostPortList('sentinel', 'sentinels')
  REDIS__SENTINELS = '';

  /**
   * Seed nodes of the cluster (`REDIS__MODE=cluster`): a comma list of `host:port`. One reachable
   * node is enough to learn the rest; list a few so a boot does not depend on one.
   */
  @ValidateIf((env: RedisEnv) => env.REDIS__MODE === 'cluster')
  @HostPortList('cluster', 'cluster nodes')
  REDIS__CLUSTER_NODES = '';

  /** Name of the monitored primary (the sentinels' `sentinel monitor <name> ...`). */
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, {
    message: '$property must be 1-64 characters of letters, digits, dot, dash or underscore',
  })
  REDIS__SENTINEL_NAME = 'mymaster';

  /** Redis shared by the response cache, cursors' count cache and the Bull queues (each under its own prefix). */
  @IsString()
  @Matches(/^rediss?:\/\/[^\s]+$/, { message: '$property must be a redis:// or rediss:// URL' })
  REDIS__URL = 'redis://127.0.0.1:6379';

  /**
   * Command connections the cache opens to Redis, used round-robin (plus one for hit lookups and
   * one for the invalidation bus).
   */
  @EnvInt(1, 64)
  REDIS__POOL_SIZE = 10;

  /** Prefix of every key this service writes, so it never touches keys it does not own. */
  @Matches(/^[A-Za-z0-9:_-]{1,64}$/, {
    message: '$property must be 1-64 characters of letters, digits, colon, dash or underscore',
  })
  REDIS__KEY_PREFIX = 'agentic';

  /**
   * Longest a Redis command of the cache tier (count cache, app cache, health PING) may take before
   * it fails and the caller goes on without Redis. The response cache's hit path keeps its own,
   * tighter `CACHING__REDIS_TIMEOUT_MS` in front of it.
   */
  @EnvInt(5, 10000)
  REDIS__COMMAND_TIMEOUT_MS = 100;

  /**
   * Command timeout of the queues' command connection (enqueue, task lookup, Bull's bookkeeping);
   * longer than the cache tier's because Bull's scripts may legitimately run for a while. Blocking
   * connections (BRPOPLPUSH) never get one.
   */
  @EnvInt(50, 60000)
  REDIS__QUEUE_COMMAND_TIMEOUT_MS = 1000;

  /** Longest a connection attempt may take before it counts as failed (and a reconnect is scheduled). */
  @EnvInt(50, 60000)
  REDIS__CONNECT_TIMEOUT_MS = 1000;

  /** Cap of the jittered exponential backoff between reconnect attempts while Redis is down. */
  @EnvInt(50, 60000)
  REDIS__MAX_RECONNECT_DELAY_MS = 2000;
}

/** The typed settings of a validated {@link RedisEnv}. */
export function redisSettings(env: RedisEnv) {
  return {
    url: env.REDIS__URL,
    sentinel:
      env.REDIS__MODE === 'sentinel'
        ? {
            sentinels: parseHostPorts(env.REDIS__SENTINELS) ?? [],
            name: env.REDIS__SENTINEL_NAME,
          }
        : undefined,
    cluster:
      env.REDIS__MODE === 'cluster'
        ? { nodes: parseHostPorts(env.REDIS__CLUSTER_NODES) ?? [] }
        : undefined,
    poolSize: env.REDIS__POOL_SIZE,
    keyPrefix: env.REDIS__KEY_PREFIX,
    commandTimeoutMs: env.REDIS__COMMAND_TIMEOUT_MS,
    queueCommandTimeoutMs: env.REDIS__QUEUE_COMMAND_TIMEOUT_MS,
    connectTimeoutMs: env.REDIS__CONNECT_TIMEOUT_MS,
    maxReconnectDelayMs: env.REDIS__MAX_RECONNECT_DELAY_MS,
  };
}

/** Typed `redis` namespace. */
export const redisConfig = registerAs('redis', () =>
  redisSettings(validateEnv(RedisEnv, process.env)),
);
