import type Redis from 'ioredis';
import { RedisOutage } from '../redis';
import {
  COUNT_CACHE_RETRY_AFTER_MS,
  CountCacheUnavailableError,
  FIRST_BUMP_RETRY_MS,
  RedisCountCache,
} from './redis-count-cache';

describe(RedisCountCache.name, () => {
  let get: jest.Mock;
  let ping: jest.Mock;
  let cache: RedisCountCache;

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    get = jest.fn();
    ping = jest.fn();
    const redis = { get, ping, set: jest.fn(), incr: jest.fn() } as unknown as Redis;
    cache = new RedisCountCache(redis, { keyPrefix: 'p' } as never);
  });

  afterEach(() => jest.useRealTimers());

  it('should skip Redis after a timeout until a background PING succeeds, never probing on a request', async () => {
    const settle = () => Promise.resolve().then(() => undefined);
    get.mockRejectedValueOnce(new Error('Command timed out'));

    await expect(cache.generation('agents')).rejects.toBeInstanceOf(CountCacheUnavailableError);
    await expect(cache.get('agents:0:x')).rejects.toBeInstanceOf(CountCacheUnavailableError);
    expect(get).toHaveBeenCalledTimes(1);
    expect(ping).not.toHaveBeenCalled(); // not before the skip period is over

    jest.setSystemTime(COUNT_CACHE_RETRY_AFTER_MS);
    ping.mockRejectedValueOnce(new Error('Command timed out'));
    // Due: the request is still answered without Redis, and one PING goes out meanwhile.
    await expect(cache.get('agents:0:x')).rejects.toBeInstanceOf(CountCacheUnavailableError);
    await expect(cache.get('agents:0:x')).rejects.toBeInstanceOf(CountCacheUnavailableError);
    await settle();
    expect(ping).toHaveBeenCalledTimes(1);
    expect(get).toHaveBeenCalledTimes(1);

    // The failed PING restarts the skip period; the next one, once due, succeeds.
    await expect(cache.get('agents:0:x')).rejects.toBeInstanceOf(CountCacheUnavailableError);
    expect(ping).toHaveBeenCalledTimes(1);
    jest.setSystemTime(2 * COUNT_CACHE_RETRY_AFTER_MS);
    ping.mockResolvedValueOnce('PONG');
    await expect(cache.get('agents:0:x')).rejects.toBeInstanceOf(CountCacheUnavailableError);
    await settle();
    expect(ping).toHaveBeenCalledTimes(2);

    get.mockResolvedValueOnce('42');
    await expect(cache.get('agents:0:x')).resolves.toBe(42);
    expect(get).toHaveBeenCalledTimes(2);
  });

  it('should skip Redis at once when another user reported it failing, and clear the hint once its PING succeeds', async () => {
    const outage = new RedisOutage();
    const redis = { get, ping, set: jest.fn(), incr: jest.fn() } as unknown as Redis;
    const shared = new RedisCountCache(redis, { keyPrefix: 'p' } as never, outage);
    outage.report(); // e.g. the response cache's lookup timed out

    await expect(shared.get('agents:0:x')).rejects.toBeInstanceOf(CountCacheUnavailableError);
    expect(get).not.toHaveBeenCalled();

    jest.setSystemTime(COUNT_CACHE_RETRY_AFTER_MS);
    ping.mockResolvedValueOnce('PONG');
    await expect(shared.get('agents:0:x')).rejects.toBeInstanceOf(CountCacheUnavailableError);
    await Promise.resolve().then(() => undefined);
    expect(outage.suspected).toBe(false);
    get.mockResolvedValueOnce('7');
    await expect(shared.get('agents:0:x')).resolves.toBe(7);
  });

  it('should report its own failures to the shared hint', async () => {
    const outage = new RedisOutage();
    const redis = { get, ping, set: jest.fn(), incr: jest.fn() } as unknown as Redis;
    get.mockRejectedValueOnce(new Error('Command timed out'));

    await expect(
      new RedisCountCache(redis, { keyPrefix: 'p' } as never, outage).get('x'),
    ).rejects.toBeInstanceOf(CountCacheUnavailableError);
    expect(outage.suspected).toBe(true);
  });

  it('should read a missing generation as 0 and a missing count as undefined', async () => {
    get.mockResolvedValue(null);

    await expect(cache.generation('agents')).resolves.toBe('0');
    await expect(cache.get('agents:0:x')).resolves.toBeUndefined();
  });

  it('should retry a refused generation bump until Redis takes it, counting without the cache meanwhile', async () => {
    const incr = jest.fn().mockRejectedValue(new Error('Command timed out'));
    const redis = { get, ping, set: jest.fn(), incr } as unknown as Redis;
    const sut = new RedisCountCache(redis, { keyPrefix: 'p' } as never);
    get.mockResolvedValue('3');

    await expect(sut.invalidate('agents')).rejects.toThrow('Command timed out');
    expect(sut.pendingInvalidations).toBe(1);
    await expect(sut.generation('agents')).rejects.toBeInstanceOf(CountCacheUnavailableError);
    await expect(sut.generation('tools')).resolves.toBe('3'); // other resources keep their counts

    await jest.advanceTimersByTimeAsync(FIRST_BUMP_RETRY_MS); // still refused
    expect(incr).toHaveBeenCalledTimes(2);
    incr.mockResolvedValue(4);
    await jest.advanceTimersByTimeAsync(2 * FIRST_BUMP_RETRY_MS);

    expect(incr).toHaveBeenCalledTimes(3);
    expect(incr).toHaveBeenLastCalledWith('p:count:gen:agents');
    expect(sut.pendingInvalidations).toBe(0);
    await expect(sut.generation('agents')).resolves.toBe('3');
  });
});
