import type { ClusterOptions, RedisOptions } from 'ioredis';
import {
  closeRedisClients,
  createRedisClient,
  reconnectDelay,
  redisClientOptions,
  sentinelTarget,
} from './redis-client.factory';
import { RedisErrorLog } from './redis-error-log';

const settings = {
  url: 'redis://:s3cret@127.0.0.1:1',
  commandTimeoutMs: 75,
  connectTimeoutMs: 400,
  maxReconnectDelayMs: 2000,
};

describe('redisClientOptions', () => {
  it('should bound a command connection: timeout, no offline queue, no retry', () => {
    expect(redisClientOptions('command', settings)).toMatchObject({
      commandTimeout: 75,
      connectTimeout: 400,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
  });

  it.each(['subscriber', 'blocking'] as const)(
    'should give a %s connection what Bull requires and no command timeout',
    (role) => {
      const options = redisClientOptions(role, settings);
      expect(options).toMatchObject({
        connectTimeout: 400,
        maxRetriesPerRequest: null,
        enableReadyCheck: false,
      });
      expect(options.commandTimeout).toBeUndefined();
      expect(options.enableOfflineQueue).toBeUndefined();
    },
  );

  it('should reconnect with the same capped policy in every role', () => {
    for (const role of ['command', 'subscriber', 'blocking'] as const) {
      const delay = redisClientOptions(role, settings).retryStrategy!(50);
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });
});

describe('reconnectDelay', () => {
  it('should double from 50 ms with jitter between half and all of the step', () => {
    expect(reconnectDelay(1, 2000, () => 0)).toBe(25);
    expect(reconnectDelay(1, 2000, () => 1)).toBe(50);
    expect(reconnectDelay(3, 2000, () => 0)).toBe(100);
    expect(reconnectDelay(3, 2000, () => 1)).toBe(200);
  });

  it('should never exceed the cap, however many attempts', () => {
    expect(reconnectDelay(10, 2000, () => 1)).toBe(2000);
    expect(reconnectDelay(10_000, 2000, () => 0.5)).toBe(1500);
  });
});

describe(createRedisClient.name, () => {
  const log = new RedisErrorLog('Test', { log: jest.fn(), warn: jest.fn() });

  it('should keep Bull-required options on subscriber and blocking connections', async () => {
    const client = createRedisClient('blocking', settings, log, {
      lazyConnect: true,
      maxRetriesPerRequest: 3,
      enableOfflineQueue: false,
    });
    expect(client.options).toMatchObject({ maxRetriesPerRequest: null, enableReadyCheck: false });
    expect(client.options.enableOfflineQueue).toBe(true);
    expect((client.options as RedisOptions).commandTimeout).toBeUndefined();
    await closeRedisClients([client]);
  });

  it('should let a command connection keep its offline queue, still bounded by the timeout', async () => {
    const client = createRedisClient('command', settings, log, {
      lazyConnect: true,
      enableOfflineQueue: true,
      maxRetriesPerRequest: 1,
    });
    expect(client.options).toMatchObject({
      commandTimeout: 75,
      enableOfflineQueue: true,
      maxRetriesPerRequest: 1,
    });
    await closeRedisClients([client]);
  });

  it('should fail a command at once while disconnected (no offline queue)', async () => {
    const client = createRedisClient('command', settings, log, { lazyConnect: true });
    const started = performance.now();
    await expect(client.get('key')).rejects.toThrow(/enableOfflineQueue/);
    expect(performance.now() - started).toBeLessThan(1000);
    const ended = new Promise((resolve) => client.once('end', resolve));
    await closeRedisClients([client]);
    await ended;
    expect(client.status).toBe('end');
  });
});

describe('sentinelTarget', () => {
  const sentinel = { sentinels: [{ host: '10.0.0.5', port: 26379 }], name: 'cache-primary' };

  it("should ask the sentinels for the primary with the URL's credentials and database, not its host", () => {
    const target = sentinelTarget('redis://app:p%40ss@ignored.example:6379/3', sentinel);

    expect(target).toEqual({
      username: 'app',
      password: 'p@ss',
      db: 3,
      sentinels: sentinel.sentinels,
      name: 'cache-primary',
      failoverDetector: false,
    });
    expect(target).not.toHaveProperty('host');
  });

  it('should leave out what the URL does not give', () => {
    expect(sentinelTarget('redis://127.0.0.1', sentinel)).toEqual({
      sentinels: sentinel.sentinels,
      name: 'cache-primary',
      failoverDetector: false,
    });
  });

  it("should make a sentinel-mode client with the role's options", () => {
    const client = createRedisClient(
      'command',
      { ...settings, sentinel },
      new RedisErrorLog('Test', { log: jest.fn(), warn: jest.fn() }),
      { lazyConnect: true },
    );
    try {
      expect(client.options).toMatchObject({
        name: 'cache-primary',
        sentinels: sentinel.sentinels,
        password: 's3cret',
        commandTimeout: 75,
      });
    } finally {
      client.disconnect();
    }
  });
});

describe('cluster mode', () => {
  const cluster = { nodes: [{ host: '10.0.0.7', port: 7000 }] };
  const log = new RedisErrorLog('Test', { log: jest.fn(), warn: jest.fn() });

  it("should open a cluster client with the role's bounds per node and the URL's credentials", async () => {
    const client = createRedisClient(
      'command',
      { ...settings, url: 'redis://app:p%40ss@ignored:6379', cluster },
      log,
      { lazyConnect: true, enableAutoPipelining: true },
    );
    try {
      expect(client.isCluster).toBe(true);
      const options = client.options as ClusterOptions;
      expect(options).toMatchObject({
        enableOfflineQueue: false,
        enableAutoPipelining: true,
        shardedSubscribers: false,
        slotsRefreshTimeout: 400,
      });
      expect(options.redisOptions).toMatchObject({
        commandTimeout: 75,
        connectTimeout: 400,
        maxRetriesPerRequest: 0,
        username: 'app',
        password: 'p@ss',
      });
      expect(options.clusterRetryStrategy!(50)).toBeLessThanOrEqual(2000);
    } finally {
      await closeRedisClients([client]);
    }
  });

  it('should give Bull its required nulls on the nodes of a blocking cluster connection', async () => {
    const client = createRedisClient('blocking', { ...settings, cluster }, log, {
      lazyConnect: true,
      shardedSubscribers: true,
    });
    try {
      const options = client.options as ClusterOptions;
      // Bull checks `client.options.redisOptions` of a cluster client.
      expect(options.redisOptions).toMatchObject({
        maxRetriesPerRequest: null,
        enableReadyCheck: false,
      });
      expect(options.shardedSubscribers).toBe(true);
    } finally {
      await closeRedisClients([client]);
    }
  });
});
