import type Redis from 'ioredis';
import {
  COUNT_CACHE_RETRY_AFTER_MS,
  CountCacheUnavailableError,
  RedisCountCache,
} from './redis-count-cache';

describe(RedisCountCache.name, () => {
  let get: jest.Mock;
  let cache: RedisCountCache;

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    get = jest.fn();
    const redis = { get, set: jest.fn(), incr: jest.fn() } as unknown as Redis;
    cache = new RedisCountCache(redis, { keyPrefix: 'p' } as never);
  });

  afterEach(() => jest.useRealTimers());

  it('should skip Redis for a while after a timeout, then try once more', async () => {
    get.mockRejectedValueOnce(new Error('Command timed out'));

    await expect(cache.generation('agents')).rejects.toBeInstanceOf(CountCacheUnavailableError);
    await expect(cache.get('agents:0:x')).rejects.toBeInstanceOf(CountCacheUnavailableError);
    expect(get).toHaveBeenCalledTimes(1);

    jest.setSystemTime(COUNT_CACHE_RETRY_AFTER_MS);
    get.mockResolvedValueOnce('42');
    await expect(cache.get('agents:0:x')).resolves.toBe(42);
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('should read a missing generation as 0 and a missing count as undefined', async () => {
    get.mockResolvedValue(null);

    await expect(cache.generation('agents')).resolves.toBe('0');
    await expect(cache.get('agents:0:x')).resolves.toBeUndefined();
  });
});
