import { RecentIds } from './recent-ids';

describe(RecentIds.name, () => {
  it('should remember added ids', () => {
    const ids = new RecentIds(2);

    ids.add('a');

    expect(ids.has('a')).toBe(true);
    expect(ids.has('b')).toBe(false);
  });

  it('should evict the least recently used id beyond capacity', () => {
    const ids = new RecentIds(2);
    ids.add('a');
    ids.add('b');
    ids.has('a');

    ids.add('c');

    expect(ids.size).toBe(2);
    expect(ids.has('b')).toBe(false);
    expect(ids.has('a')).toBe(true);
    expect(ids.has('c')).toBe(true);
  });

  it('should forget a deleted id', () => {
    const ids = new RecentIds(2);
    ids.add('a');

    ids.delete('a');

    expect(ids.has('a')).toBe(false);
  });
});
