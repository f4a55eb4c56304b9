import type { Logger } from '@nestjs/common';
import type { CacheEntry } from './cache-entry';
import { CacheStats } from './cache-stats';
import { InvalidationBus } from './invalidation-bus';
import { cacheKeyspace } from './keyspace';
import { L1Cache } from './l1-cache';
import { L2Unavailable } from './l2-unavailable.error';
import type { RedisL2 } from './redis-l2';

const keyspace = cacheKeyspace('test');

function entryTagged(tag: string): CacheEntry {
  return {
    body: Buffer.from('old'),
    status: 200,
    contentType: 'application/json',
    etag: '"old"',
    createdAt: Date.now(),
    ttlMs: 60_000,
    swrMs: 0,
    graceMs: 0,
    tags: { [tag]: 1 },
  };
}

/** An L2 whose calls fail with {@link L2Unavailable} while `down` is set, and record what they got. */
function flakyL2() {
  const state = { down: true };
  const calls = { bumped: [] as string[][], published: [] as string[], unlinked: [] as string[][] };
  const refuse = () => Promise.reject(new L2Unavailable('cache Redis connecting'));
  const l2 = {
    bumpTags: (tagKeys: string[]) =>
      state.down ? refuse() : (calls.bumped.push(tagKeys), Promise.resolve()),
    unlink: (keys: string[]) =>
      state.down ? refuse() : (calls.unlinked.push(keys), Promise.resolve(keys.length)),
    deleteMatching: () => (state.down ? refuse() : Promise.resolve(3)),
    publish: (_channel: string, message: string) =>
      state.down ? refuse() : (calls.published.push(message), Promise.resolve()),
  } as unknown as RedisL2;
  return { l2, state, calls };
}

function quietLogger() {
  return { warn: jest.fn(), error: jest.fn(), log: jest.fn() } as unknown as Logger & {
    error: jest.Mock;
  };
}

/** A bus of instance `pod-a` over `l2`. */
function busOn(l2: RedisL2, logger = quietLogger(), l1 = new L1Cache(1 << 20, 60_000)) {
  return new InvalidationBus(l1, l2, keyspace, new CacheStats(), 'pod-a', logger);
}

describe(InvalidationBus.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should keep a tag invalidation Redis refused and send it (bump and bus message) once Redis takes it', async () => {
    const { l2, state, calls } = flakyL2();
    const sut = busOn(l2);

    await sut.invalidateTags(['agent:1']);
    expect(sut.pendingCount).toBe(1);
    await jest.advanceTimersByTimeAsync(100);
    expect(calls.bumped).toEqual([]); // still down: kept, tried again later
    expect(sut.pendingCount).toBe(1);

    state.down = false;
    await jest.advanceTimersByTimeAsync(200);
    expect(calls.bumped).toEqual([[keyspace.tagKey('agent:1')]]);
    expect(calls.published.map((message) => JSON.parse(message) as unknown)).toEqual([
      { origin: 'pod-a', tags: ['agent:1'] },
    ]);
    expect(sut.pendingCount).toBe(0);
  });

  it('should send the whole invalidation again when only the bus message was refused', async () => {
    const { l2, state, calls } = flakyL2();
    const publish = l2.publish.bind(l2);
    let publishes = 0;
    l2.publish = (channel, message) =>
      ++publishes === 1
        ? Promise.reject(new L2Unavailable('timed out'))
        : publish(channel, message);
    state.down = false;
    const sut = busOn(l2);

    await sut.invalidateKey('test:cache:k');
    expect(sut.pendingCount).toBe(1);
    await jest.advanceTimersByTimeAsync(100);

    expect(calls.unlinked).toEqual([['test:cache:k'], ['test:cache:k']]);
    expect(calls.published).toHaveLength(1);
    expect(sut.pendingCount).toBe(0);
  });

  it("should drop this instance's L1 copy again when the retry lands (it may have been refilled meanwhile)", async () => {
    const { l2, state } = flakyL2();
    const l1 = new L1Cache(1 << 20, 60_000);
    const sut = busOn(l2, quietLogger(), l1);
    l1.set('test:cache:a', entryTagged('agent:1'));

    await sut.invalidateTags(['agent:1']);
    expect(l1.get('test:cache:a')).toBeUndefined();
    l1.set('test:cache:a', entryTagged('agent:1')); // refilled from Redis's old copy
    state.down = false;
    await jest.advanceTimersByTimeAsync(100);

    expect(l1.get('test:cache:a')).toBeUndefined();
  });

  it('should replace pending invalidations past the bound by one pattern over the whole cache', async () => {
    const { l2, state } = flakyL2();
    const logger = quietLogger();
    const sut = busOn(l2, logger);
    const deleteMatching = jest.spyOn(l2, 'deleteMatching');

    await sut.invalidateTags(Array.from({ length: 10_001 }, (_, index) => `t${index}`));
    expect(sut.pendingCount).toBe(1);
    expect(logger.error).toHaveBeenCalledWith(expect.stringMatching(/whole cache/));
    state.down = false;
    await jest.advanceTimersByTimeAsync(100);

    expect(deleteMatching).toHaveBeenLastCalledWith(`${keyspace.root}:*`);
    expect(sut.pendingCount).toBe(0);
  });

  it('should try once more at close and report what Redis never took', async () => {
    const { l2, calls } = flakyL2();
    const logger = quietLogger();
    const sut = busOn(l2, logger);

    await sut.invalidateTags(['agent:1']);
    await sut.close();

    expect(calls.bumped).toEqual([]);
    expect(logger.error).toHaveBeenCalledWith(expect.stringMatching(/^1 cache invalidation/));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sut.pendingCount).toBe(1); // no retries after close
  });

  it('should throw what is not a Redis outage (a bug), not keep it', async () => {
    const { l2 } = flakyL2();
    l2.bumpTags = () => Promise.reject(new TypeError('bug'));
    const sut = busOn(l2);

    await expect(sut.invalidateTags(['agent:1'])).rejects.toThrow('bug');
    expect(sut.pendingCount).toBe(0);
  });
});
