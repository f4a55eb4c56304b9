import type Redis from 'ioredis';
import { Breaker } from './breaker';
import { CacheStats } from './cache-stats';
import { L2Unavailable } from './l2-unavailable.error';
import { LookupReader, RedisL2 } from './redis-l2';

/** A stand-in connection: its status can flip, and GETs answer at once. */
function fakeClient(status: string): Redis {
  return {
    status,
    mgetBuffer: jest.fn().mockResolvedValue([Buffer.from('v')]),
  } as unknown as Redis;
}

describe(RedisL2.name, () => {
  it('should fail at once without taking the half-open probe while the connection is down', async () => {
    let now = 0;
    const breaker = new Breaker(1, 1000, () => now);
    const client = fakeClient('ready');
    const sut = new RedisL2([client], 50, breaker, new CacheStats());
    breaker.failure(); // open
    now = 1500; // past the reset: the next allowed call is the probe

    (client as unknown as { status: string }).status = 'reconnecting';
    await expect(sut.lookup('k', [])).rejects.toBeInstanceOf(L2Unavailable);
    expect(breaker.state).toBe('open');

    (client as unknown as { status: string }).status = 'ready';
    await expect(sut.lookup('k', [])).resolves.toEqual({ raw: Buffer.from('v'), versions: [] });
    expect(breaker.state).toBe('closed');
  });

  it('should report a timeout to the shared outage hint and clear it on the next success', async () => {
    const outage = { report: jest.fn(), recovered: jest.fn() };
    const client = fakeClient('ready');
    (client.mgetBuffer as jest.Mock).mockReturnValueOnce(new Promise(() => undefined));
    const sut = new RedisL2(
      [client],
      20,
      new Breaker(3, 1000),
      new CacheStats(),
      undefined,
      outage,
    );

    await expect(sut.lookup('k', [])).rejects.toThrow(/timed out/);
    expect(outage.report).toHaveBeenCalledTimes(1);
    expect(outage.recovered).not.toHaveBeenCalled();
    await expect(sut.lookup('k', [])).resolves.toEqual({ raw: Buffer.from('v'), versions: [] });
    expect(outage.recovered).toHaveBeenCalledTimes(1);
  });

  it('should count a call that cannot be sent as a Redis error, not a timeout', async () => {
    const stats = new CacheStats();
    const sut = new RedisL2([fakeClient('connecting')], 50, new Breaker(3, 1000), stats);
    await expect(sut.lookup('k', ['t'])).rejects.toThrow(/connecting/);
    expect([stats.redisErrors, stats.redisTimeouts]).toEqual([1, 0]);
  });

  it('should send a call on a ready connection of the pool while another is still opening', async () => {
    const opening = fakeClient('connecting');
    const ready = fakeClient('ready');
    const stats = new CacheStats();
    const sut = new RedisL2([opening, ready], 50, new Breaker(3, 1000), stats);

    await expect(sut.lookup('k', [])).resolves.toEqual({ raw: Buffer.from('v'), versions: [] });
    expect(opening.mgetBuffer).not.toHaveBeenCalled();
    expect(ready.mgetBuffer).toHaveBeenCalledTimes(1);
    expect(stats.redisErrors).toBe(0);
  });

  it('should look entries up on the lookup reader when there is one, tag versions as numbers', async () => {
    const client = fakeClient('ready');
    const reader = {
      isReady: true,
      mget: jest.fn().mockResolvedValue([Buffer.from('entry'), Buffer.from('7'), null]),
    };
    const sut = new RedisL2([client], 50, new Breaker(3, 1000), new CacheStats(), reader);

    await expect(sut.lookup('k', ['t1', 't2'])).resolves.toEqual({
      raw: Buffer.from('entry'),
      versions: [7, 0],
    });
    expect(reader.mget).toHaveBeenCalledWith(['k', 't1', 't2']);
    expect(client.mgetBuffer).not.toHaveBeenCalled();
  });

  it('should refuse a lookup at once, without the half-open probe, while the reader is down', async () => {
    let now = 0;
    const breaker = new Breaker(1, 1000, () => now);
    const stats = new CacheStats();
    const reader: LookupReader & { isReady: boolean } = {
      isReady: false,
      mget: jest.fn().mockResolvedValue([null]),
    };
    const sut = new RedisL2([fakeClient('ready')], 50, breaker, stats, reader);
    breaker.failure(); // open
    now = 1500; // past the reset: the next allowed call is the probe

    await expect(sut.lookup('k', [])).rejects.toThrow(/not connected/);
    expect(reader.mget).not.toHaveBeenCalled();
    expect([breaker.state, stats.redisErrors]).toEqual(['open', 1]);

    reader.isReady = true;
    await expect(sut.lookup('k', [])).resolves.toEqual({ raw: null, versions: [] });
    expect(breaker.state).toBe('closed');
  });

  it('should time a stalled reader out and count it as a timeout', async () => {
    const stats = new CacheStats();
    const reader = {
      isReady: true,
      mget: () => new Promise<Array<Buffer | null>>(() => undefined),
    };
    const sut = new RedisL2([fakeClient('ready')], 20, new Breaker(3, 1000), stats, reader);

    await expect(sut.lookup('k', [])).rejects.toThrow(/timed out/);
    expect([stats.redisTimeouts, stats.redisErrors]).toEqual([1, 0]);
  });
});
