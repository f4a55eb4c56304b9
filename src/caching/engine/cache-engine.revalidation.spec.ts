import { MAX_REVALIDATIONS, REVALIDATION_PAUSE_MS } from './background-refresh';
import { CacheEngine } from './cache-engine';
import type { CacheEntry } from './cache-entry';
import { CacheStats } from './cache-stats';
import type { LoadResult } from './cache-types';
import { cacheKeyspace } from './keyspace';
import { L1Cache } from './l1-cache';
import { L2Unavailable } from './l2-unavailable.error';
import type { RedisL2 } from './redis-l2';

const NOW = 1_000_000;
const keyspace = cacheKeyspace('test');
const SETTINGS = { maxEntryBytes: 1024 * 1024, lockTtlMs: 5000 };

function entryOf(body: string, tags: Record<string, number>): CacheEntry {
  return {
    body: Buffer.from(body),
    status: 200,
    contentType: 'application/json',
    etag: `"${body}"`,
    createdAt: NOW,
    ttlMs: 60_000,
    swrMs: 0,
    graceMs: 0,
    tags,
  };
}

/** An L2 that holds no entries and answers tag versions from `versions`. */
function emptyL2(versions: Record<string, number>): RedisL2 {
  return {
    lookup: (_key: string, tagKeys: string[]) =>
      Promise.resolve({
        raw: null,
        versions: tagKeys.map((tagKey) => versions[tagKey.split(':').pop()!] ?? 0),
      }),
    write: () => Promise.resolve(),
    publish: () => Promise.resolve(),
    breaker: { state: 'closed' },
  } as unknown as RedisL2;
}

const policy = { compress: false, compressionThreshold: 0, lock: false };

describe(`${CacheEngine.name} revalidation after a bus reconnect`, () => {
  let l1: L1Cache;
  let engine: CacheEngine;
  let versions: Record<string, number>;

  beforeEach(() => {
    l1 = new L1Cache(1024 * 1024, 60_000);
    versions = { agents: 2 };
    engine = new CacheEngine(
      l1,
      emptyL2(versions),
      keyspace,
      new CacheStats(),
      SETTINGS,
      () => NOW,
    );
  });

  /** A loader that resolves when `release` is called, counting its calls. */
  function slowLoader(body: string) {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const loader = jest.fn(async (): Promise<LoadResult<unknown>> => {
      await gate;
      return { entry: entryOf(body, { agents: 2 }) };
    });
    return { loader, release };
  }

  it('should stop trusting L1 entries but keep them, served stale while one refresh per key runs', async () => {
    l1.set('k', entryOf('old', { agents: 2 }), NOW);
    engine.revalidateL1();
    const { loader, release } = slowLoader('new');

    expect(engine.peekFresh('k')).toBeUndefined();
    expect(engine.peekRevalidating('k')).toBeUndefined(); // nobody refreshes it yet
    const first = await engine.getOrLoad('k', ['agents'], policy, loader);
    const second = await engine.getOrLoad('k', ['agents'], policy, loader);

    expect(first).toMatchObject({ outcome: 'STALE', entry: { etag: '"old"' } });
    expect(second).toMatchObject({ outcome: 'STALE', entry: { etag: '"old"' } });
    expect(engine.peekRevalidating('k')?.etag).toBe('"old"');
    expect(loader).toHaveBeenCalledTimes(1);

    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(engine.peekFresh('k')?.etag).toBe('"new"');
  });

  it('should drop a copy whose tag Redis shows as bumped since, and load it', async () => {
    l1.set('k', entryOf('old', { agents: 1 }), NOW);
    engine.revalidateL1();
    const loader = jest.fn(() => Promise.resolve({ entry: entryOf('new', { agents: 2 }) }));

    const answer = await engine.getOrLoad('k', ['agents'], policy, loader);

    expect(answer).toMatchObject({ outcome: 'MISS', entry: { etag: '"new"' } });
  });

  it('should serve a copy stored without Redis (unknown versions) stale while it is refreshed', async () => {
    l1.set('k', entryOf('old', { agents: -1 }), NOW);
    engine.revalidateL1();
    const { loader, release } = slowLoader('new');

    const answer = await engine.getOrLoad('k', ['agents'], policy, loader);

    expect(answer.outcome).toBe('STALE');
    release();
  });

  it(`should run at most ${MAX_REVALIDATIONS} refreshes at once, serving the others stale meanwhile`, async () => {
    const keys = Array.from({ length: MAX_REVALIDATIONS + 4 }, (_, index) => `k${index}`);
    keys.forEach((key) => l1.set(key, entryOf(key, { agents: 2 }), NOW));
    engine.revalidateL1();
    const { loader, release } = slowLoader('new');

    const answers = await Promise.all(
      keys.map((key) => engine.getOrLoad(key, ['agents'], policy, loader)),
    );

    expect(answers.every((answer) => answer.outcome === 'STALE')).toBe(true);
    expect(loader).toHaveBeenCalledTimes(MAX_REVALIDATIONS);
    // While the slots are full, every distrusted copy is served from the fast path.
    expect(engine.peekRevalidating(keys[keys.length - 1])?.etag).toBe(`"${keys[keys.length - 1]}"`);
    release();
  });

  it(`should keep a slot taken ${REVALIDATION_PAUSE_MS} ms after its refresh, so refreshes never run back to back`, async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const keys = Array.from({ length: MAX_REVALIDATIONS + 1 }, (_, index) => `k${index}`);
      keys.forEach((key) => l1.set(key, entryOf(key, { agents: 2 }), NOW));
      engine.revalidateL1();
      const loader = jest.fn(() => Promise.resolve({ entry: entryOf('new', { agents: 2 }) }));
      const settle = () => new Promise((resolve) => setImmediate(resolve));

      for (const key of keys.slice(0, MAX_REVALIDATIONS)) {
        await engine.getOrLoad(key, ['agents'], policy, loader);
      }
      await settle();
      const last = keys[MAX_REVALIDATIONS];
      // The refreshes are done, but their slots are still resting: the third copy is served stale.
      const early = await engine.getOrLoad(last, ['agents'], policy, loader);
      expect(early.outcome).toBe('STALE');
      expect(loader).toHaveBeenCalledTimes(MAX_REVALIDATIONS);
      expect(engine.peekRevalidating(last)?.etag).toBe(`"${last}"`);

      jest.advanceTimersByTime(REVALIDATION_PAUSE_MS);
      await engine.getOrLoad(last, ['agents'], policy, loader);
      await settle();

      expect(loader).toHaveBeenCalledTimes(MAX_REVALIDATIONS + 1);
      expect(engine.peekFresh(last)?.etag).toBe('"new"');
    } finally {
      jest.useRealTimers();
    }
  });

  it('should still answer from L1 when Redis is unavailable during the revalidation', async () => {
    const down = {
      ...emptyL2(versions),
      lookup: () => Promise.reject(new L2Unavailable('down')),
    } as unknown as RedisL2;
    engine = new CacheEngine(l1, down, keyspace, new CacheStats(), SETTINGS, () => NOW);
    l1.set('k', entryOf('old', { agents: 2 }), NOW);
    engine.revalidateL1();
    const { loader, release } = slowLoader('new');

    const answer = await engine.getOrLoad('k', ['agents'], policy, loader);

    expect(answer.outcome).toBe('STALE');
    release();
  });

  it('should answer but not keep data a load read before an invalidation that arrived during it', async () => {
    const { loader, release } = slowLoader('read-before-the-write');
    const reload = jest.fn(() => Promise.resolve({ entry: entryOf('after', { agents: 2 }) }));

    const answering = engine.getOrLoad('k', ['agents'], policy, loader);
    await new Promise((resolve) => setImmediate(resolve)); // the loader runs
    engine.applyBusMessage({ origin: 'another-pod', tags: ['agents'] });
    release();

    expect(await answering).toMatchObject({
      outcome: 'MISS',
      entry: { etag: '"read-before-the-write"' },
    });
    expect(engine.peekFresh('k')).toBeUndefined();
    expect(await engine.getOrLoad('k', ['agents'], policy, reload)).toMatchObject({
      outcome: 'MISS',
      entry: { etag: '"after"' },
    });
    expect(engine.peekFresh('k')?.etag).toBe('"after"');
  });
});
