import Redis, { Cluster, type ClusterOptions, type RedisOptions } from 'ioredis';

/** A connection of the factory: one Redis (standalone, sentinel) or a Redis Cluster client. */
export type RedisClient = Redis | Cluster;

/** `REDIS__CLUSTER_NODES`: the seeds a cluster client learns the topology from. */
export interface RedisClusterSettings {
  nodes: Array<{ host: string; port: number }>;
}

/** The URL's credentials (a cluster has only database 0; its host is not used). */
export function clusterCredentials(url: string): Pick<RedisOptions, 'username' | 'password'> {
  const parsed = new URL(url);
  return {
    ...(parsed.username && { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password && { password: decodeURIComponent(parsed.password) }),
  };
}

/**
 * A role's ioredis options as cluster options: what applies to each node's connection goes to
 * `redisOptions` (timeouts, retries, Bull's required `null`s, which Bull checks there), what
 * applies to the client goes on top (offline queue, ready check, auto-pipelining). The client's
 * reconnect backoff is `retryStrategy`'s, and the slot-map refresh is bounded by the connect timeout.
 */
export function clusterOptions(
  options: RedisOptions,
  url: string,
  extras: { shardedSubscribers?: boolean } = {},
): ClusterOptions {
  const {
    retryStrategy,
    enableOfflineQueue,
    enableAutoPipelining,
    lazyConnect,
    enableReadyCheck,
    ...perNode
  } = options;
  return {
    ...(lazyConnect !== undefined && { lazyConnect }),
    ...(enableAutoPipelining !== undefined && { enableAutoPipelining }),
    ...(enableOfflineQueue !== undefined && { enableOfflineQueue }),
    // A command connection waits for the cluster to report its slots covered (CLUSTER INFO).
    enableReadyCheck: enableReadyCheck ?? true,
    clusterRetryStrategy: (attempt: number) => retryStrategy?.(attempt) ?? null,
    slotsRefreshTimeout: perNode.connectTimeout,
    shardedSubscribers: extras.shardedSubscribers ?? false,
    redisOptions: {
      ...perNode,
      ...(enableReadyCheck !== undefined && { enableReadyCheck }),
      ...clusterCredentials(url),
    },
  };
}

/** A new cluster client from the role's options (see {@link clusterOptions}). */
export function createClusterClient(
  settings: RedisClusterSettings,
  options: RedisOptions,
  url: string,
  extras: { shardedSubscribers?: boolean } = {},
): Cluster {
  const cluster = new Cluster(settings.nodes, clusterOptions(options, url, extras));
  // ioredis opens a node's connection on the first command sent to it: that command pays the
  // connect (and misses the cache's 50 ms deadline; under load it took seconds), and, without an
  // offline queue, every other command for that node meanwhile fails at once. So a version bump
  // could fail on a healthy cluster. Each primary's connection is opened once the client is
  // ready (not before: its own ready check must find the nodes idle, not half-open), and again
  // for a primary that joins later (a failover). Replicas serve no reads here and stay closed.
  const openPrimaries = (): void => {
    for (const node of cluster.nodes('master')) {
      if (node.status === 'wait') {
        node.connect().catch(() => undefined);
      }
    }
  };
  cluster.on('ready', openPrimaries);
  cluster.on('+node', () => {
    if (cluster.status === 'ready') {
      openPrimaries();
    }
  });
  return cluster;
}

/**
 * The connections a keyspace-wide command (SCAN) must run on: every primary of a cluster (each
 * holds its own slots), or the one Redis.
 */
export function primaries(client: RedisClient): Redis[] {
  return client.isCluster ? (client as Cluster).nodes('master') : [client as Redis];
}
