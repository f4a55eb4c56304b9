import { countBySlot, groupBySlot, hashTag, keySlot, readBySlot } from './redis-slots';

describe('hashTag and keySlot', () => {
  it('should put keys that share a hash tag on one slot, whatever follows', () => {
    const tag = hashTag('agentic', 'tags');

    expect(tag).toBe('{agentic:tags}');
    expect(keySlot(`agentic:cache-meta:tag:${tag}:items`)).toBe(keySlot(`x:${tag}:user:42`));
    expect(keySlot(`agentic:cache-meta:tag:${tag}:items`)).toBe(keySlot('agentic:tags'));
  });

  it("should keep two prefixes' groups apart and hash untagged keys whole", () => {
    expect(keySlot(hashTag('a', 'tags'))).not.toBe(keySlot(hashTag('b', 'tags')));
    // Known slots (Redis CLUSTER KEYSLOT): only the first {...} counts.
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
  });
});

describe(groupBySlot.name, () => {
  it('should group positions by slot in first-seen order', () => {
    const keys = ['{a}1', 'b', '{a}2', 'c', 'b'];

    const groups = groupBySlot(keys);

    expect(groups).toContainEqual([0, 2]);
    expect(groups).toContainEqual([1, 4]);
    expect(groups).toContainEqual([3]);
    expect(groups[0]).toEqual([0, 2]);
  });
});

describe(readBySlot.name, () => {
  it('should send one MGET per slot and put the replies back in key order', async () => {
    const store: Record<string, string> = { '{a}1': 'x', b: 'y', '{a}2': 'z' };
    const calls: string[][] = [];
    const mget = (keys: string[]) => {
      calls.push(keys);
      // A cluster refuses a cross-slot MGET: so does this stub.
      expect(new Set(keys.map(keySlot)).size).toBe(1);
      return Promise.resolve(keys.map((key) => store[key] ?? null));
    };

    const values = await readBySlot(['{a}1', 'b', 'missing', '{a}2'], mget);

    expect(values).toEqual(['x', 'y', null, 'z']);
    expect(calls).toHaveLength(3);
  });

  it('should send a single-slot read as one command, keys as given', async () => {
    const mget = jest.fn((keys: string[]) => Promise.resolve(keys.map(() => 1)));

    await readBySlot(['{t}1', '{t}2', '{t}3'], mget);

    expect(mget).toHaveBeenCalledTimes(1);
    expect(mget).toHaveBeenCalledWith(['{t}1', '{t}2', '{t}3']);
  });
});

describe(countBySlot.name, () => {
  it('should UNLINK per slot and sum the counts', async () => {
    const unlink = jest.fn((keys: string[]) => {
      expect(new Set(keys.map(keySlot)).size).toBe(1);
      return Promise.resolve(keys.length);
    });

    expect(await countBySlot(['{a}1', 'b', '{a}2', 'c'], unlink)).toBe(4);
    expect(unlink).toHaveBeenCalledTimes(3);
  });
});
