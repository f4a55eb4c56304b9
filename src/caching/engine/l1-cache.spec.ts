import { CacheEntry } from './cache-entry';
import { globToRegExp, L1Cache } from './l1-cache';

const entry = (bytes: number, tags: Record<string, number> = {}, ttlMs = 60_000): CacheEntry => ({
  body: Buffer.alloc(bytes, 'a'),
  status: 200,
  contentType: 'application/json',
  etag: '"e"',
  createdAt: 0,
  ttlMs,
  swrMs: 0,
  graceMs: 0,
  tags,
});
// Body + key (2 bytes per char) + the fixed 256-byte slot overhead.
const sizeOf = (bytes: number, key: string) => bytes + key.length * 2 + 256;

describe(L1Cache.name, () => {
  it('should count bytes and never hold more than its budget, evicting the least recently used', () => {
    const cache = new L1Cache(4 * sizeOf(1000, 'k0'), 60_000);
    ['k0', 'k1', 'k2', 'k3'].forEach((key) => cache.set(key, entry(1000), 0));
    cache.get('k0', 1);

    cache.set('k4', entry(1000), 2);

    expect(cache.usedBytes).toBe(4 * sizeOf(1000, 'k0'));
    expect(cache.size).toBe(4);
    expect(cache.evictions).toBe(1);
    expect(cache.get('k1', 3)).toBeUndefined();
    expect(['k0', 'k2', 'k3', 'k4'].every((key) => cache.get(key, 3))).toBe(true);
  });

  it('should keep a hit on one of the newest quarter where it is, and still evict the least recently used first', () => {
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];
    const cache = new L1Cache(8 * sizeOf(1000, 'k0'), 60_000);
    keys.forEach((key) => cache.set(key, entry(1000), 0));
    const order = () => [...(cache as unknown as { slots: Map<string, unknown> }).slots.keys()];

    cache.get('k6', 1); // among the newest quarter (2 of 8): not moved
    cache.get('k0', 1); // the oldest: moved to the newest end
    expect(order()).toEqual(['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k0']);

    cache.set('k8', entry(1000), 2);
    cache.set('k9', entry(1000), 2);
    expect(cache.evictions).toBe(2);
    expect([cache.get('k1', 3), cache.get('k2', 3)]).toEqual([undefined, undefined]);
    expect(['k0', 'k3', 'k6', 'k8', 'k9'].every((key) => cache.get(key, 3))).toBe(true);
  });

  it('should refuse entries above a quarter of the budget and everything when the budget is 0', () => {
    const cache = new L1Cache(4000, 60_000);
    const disabled = new L1Cache(0, 60_000);

    cache.set('big', entry(1000), 0);
    disabled.set('small', entry(1), 0);

    expect([cache.size, cache.usedBytes, disabled.size]).toEqual([0, 0, 0]);
  });

  it('should replace an entry without counting it twice', () => {
    const cache = new L1Cache(1_000_000, 60_000);
    cache.set('k', entry(100), 0);
    cache.set('k', entry(300), 0);

    expect([cache.size, cache.usedBytes]).toEqual([1, sizeOf(300, 'k')]);
  });

  it('should drop exactly the entries carrying a tag, and release their bytes', () => {
    const cache = new L1Cache(1_000_000, 60_000);
    cache.set('a', entry(10, { agents: 1, 'agent:1': 0 }), 0);
    cache.set('b', entry(10, { agents: 1 }), 0);
    cache.set('c', entry(10, { templates: 0 }), 0);

    cache.deleteTag('agent:1');
    expect(['a', 'b', 'c'].map((key) => cache.get(key, 1) !== undefined)).toEqual([
      false,
      true,
      true,
    ]);
    cache.deleteTag('agents');

    expect(['b', 'c'].map((key) => cache.get(key, 1) !== undefined)).toEqual([false, true]);
    expect(cache.usedBytes).toBe(sizeOf(10, 'c'));
    cache.deleteTag('agents');
    expect(cache.size).toBe(1);
  });

  it('should expire entries after min(entry lifetime, L1 max TTL)', () => {
    const cache = new L1Cache(1_000_000, 5_000);
    cache.set('short', entry(10, {}, 1_000), 0);
    cache.set('long', entry(10, {}, 60_000), 0);

    expect(cache.get('short', 999)).toBeDefined();
    expect(cache.get('short', 1_000)).toBeUndefined();
    expect(cache.get('long', 4_999)).toBeDefined();
    expect(cache.get('long', 5_000)).toBeUndefined();
    expect(cache.usedBytes).toBe(0);
  });

  it('should delete keys matching a Redis glob', () => {
    const cache = new L1Cache(1_000_000, 60_000);
    ['p:cache:agents:pub:1', 'p:cache:agents_list:pub:2', 'p:cache:templates:pub:3'].forEach(
      (key) => cache.set(key, entry(1), 0),
    );

    cache.deleteMatching(globToRegExp('p:cache:agents*'));

    expect(cache.size).toBe(1);
    expect(cache.get('p:cache:templates:pub:3', 1)).toBeDefined();
  });
});

describe(`${L1Cache.name} stamp`, () => {
  it('should move on an invalidation of the key, one of the tags, a pattern or everything, not on a store or an eviction', () => {
    const l1 = new L1Cache(1100, 60_000); // room for four 10-byte entries
    const stamp = () => l1.stamp('k', ['agents', 'agent:1']);
    const moved: string[] = [];
    const track = (name: string, act: () => void) => {
      const before = stamp();
      act();
      if (stamp() !== before) {
        moved.push(name);
      }
    };

    track('set', () => l1.set('k', entry(10, { agents: 1 })));
    track('evict', () => ['b1', 'b2', 'b3', 'b4'].forEach((key) => l1.set(key, entry(10))));
    expect(l1.get('k')).toBeUndefined(); // evicted
    track('delete', () => l1.delete('k'));
    track('other key', () => l1.invalidate('other'));
    track('other tag', () => l1.deleteTag('templates'));
    track('key', () => l1.invalidate('k'));
    track('tag', () => l1.deleteTag('agent:1'));
    track('pattern', () => l1.deleteMatching(/^nothing$/));
    track('clear', () => l1.clear());

    expect(moved).toEqual(['key', 'tag', 'pattern', 'clear']);
  });
});

describe(globToRegExp.name, () => {
  it('should translate * ? and [] and escape regex characters', () => {
    expect(globToRegExp('a*').test('abc:d')).toBe(true);
    expect(globToRegExp('a?c').test('abc')).toBe(true);
    expect(globToRegExp('a?c').test('abbc')).toBe(false);
    expect(globToRegExp('[ab]x').test('bx')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('a+(b)').test('a+(b)')).toBe(true);
  });
});
