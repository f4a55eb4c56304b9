import { parseHostPorts, RedisEnv, redisSettings } from './redis.config';
import { validateEnv } from './validate-env';

describe('REDIS__MODE and the sentinel and cluster keys', () => {
  it('should stay standalone by default, with no sentinel or cluster settings', () => {
    const env = validateEnv(RedisEnv, {});
    expect(env.REDIS__MODE).toBe('standalone');
    expect(redisSettings(env).sentinel).toBeUndefined();
    expect(redisSettings(env).cluster).toBeUndefined();
  });

  it('should parse the seed nodes of cluster mode into the config', () => {
    const env = validateEnv(RedisEnv, {
      REDIS__MODE: 'cluster',
      REDIS__CLUSTER_NODES: '10.0.0.1:7000, redis-1.internal:7001,[::1]:7002',
      REDIS__URL: 'redis://:pw@ignored:6379/0',
    });
    expect(redisSettings(env).cluster).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-1.internal', port: 7001 },
        { host: '::1', port: 7002 },
      ],
    });
    expect(redisSettings(env).sentinel).toBeUndefined();
  });

  it('should parse the sentinels of sentinel mode into the config', () => {
    const env = validateEnv(RedisEnv, {
      REDIS__MODE: 'sentinel',
      REDIS__SENTINELS: ' 10.0.0.1:26379, sentinel-2.internal:26380 ,[::1]:26381',
      REDIS__SENTINEL_NAME: 'cache-primary',
    });
    expect(redisSettings(env).sentinel).toEqual({
      name: 'cache-primary',
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: 'sentinel-2.internal', port: 26380 },
        { host: '::1', port: 26381 },
      ],
    });
  });

  it.each([
    [{ REDIS__MODE: 'shards' }, /REDIS__MODE: must be one of standalone, sentinel, cluster/],
    [{ REDIS__MODE: 'cluster' }, /REDIS__CLUSTER_NODES: must list the cluster nodes as host:port/],
    [
      { REDIS__MODE: 'cluster', REDIS__CLUSTER_NODES: 'a:1,b' },
      /REDIS__CLUSTER_NODES: must list the cluster nodes as host:port .* REDIS__MODE=cluster/,
    ],
    [
      { REDIS__MODE: 'cluster', REDIS__CLUSTER_NODES: 'a:1', REDIS__URL: 'redis://x:6379/2' },
      /REDIS__MODE: cluster mode has only database 0/,
    ],
    [
      { REDIS__MODE: 'cluster', REDIS__CLUSTER_NODES: 'a:1', REDIS__URL: 'rediss://x:6380' },
      /REDIS__MODE: cluster mode does not support TLS yet/,
    ],
    [{ REDIS__MODE: 'sentinel' }, /REDIS__SENTINELS: must list the sentinels as host:port/],
    [
      { REDIS__MODE: 'sentinel', REDIS__SENTINELS: '10.0.0.1' },
      /REDIS__SENTINELS: must list the sentinels as host:port/,
    ],
    [
      { REDIS__MODE: 'sentinel', REDIS__SENTINELS: '10.0.0.1:99999' },
      /REDIS__SENTINELS: must list the sentinels as host:port/,
    ],
    [
      { REDIS__MODE: 'sentinel', REDIS__SENTINELS: 'a:1', REDIS__URL: 'rediss://x:6380' },
      /REDIS__MODE: sentinel mode does not support TLS yet/,
    ],
    [{ REDIS__SENTINEL_NAME: 'bad name' }, /REDIS__SENTINEL_NAME: must be 1-64 characters/],
  ])('should refuse %j at boot, naming the key', (env, message) => {
    expect(() => validateEnv(RedisEnv, env)).toThrow(message);
  });

  it('should ignore REDIS__SENTINELS and REDIS__CLUSTER_NODES in standalone mode', () => {
    expect(() =>
      validateEnv(RedisEnv, { REDIS__SENTINELS: 'not a list', REDIS__CLUSTER_NODES: 'nor this' }),
    ).not.toThrow();
  });

  it('should never put the URL in a message', () => {
    expect(() =>
      validateEnv(RedisEnv, {
        REDIS__MODE: 'cluster',
        REDIS__CLUSTER_NODES: 'a:1',
        REDIS__URL: 'rediss://:hunter2@x:6380/4',
      }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('hunter2') }));
  });

  it('should read host:port lists, IPv6 in brackets, and refuse anything else', () => {
    expect(parseHostPorts('a:1,,b.c:65535')).toEqual([
      { host: 'a', port: 1 },
      { host: 'b.c', port: 65535 },
    ]);
    expect(parseHostPorts('[fe80::1]:26379')).toEqual([{ host: 'fe80::1', port: 26379 }]);
    expect(parseHostPorts('a:0')).toBeUndefined();
    expect(parseHostPorts('a:1 b:2')).toBeUndefined();
    expect(parseHostPorts('')).toEqual([]);
  });
});
