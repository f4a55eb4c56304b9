import { keySlot } from '../../redis';
import { cacheKeyspace } from './keyspace';

describe(cacheKeyspace.name, () => {
  it('should keep the standalone names byte for byte', () => {
    const keys = cacheKeyspace('agentic');

    expect(keys.root).toBe('agentic:cache');
    expect(keys.tagKey('items')).toBe('agentic:cache-meta:tag:items');
    expect(keys.lockKey('agentic:cache:scenario:items:1')).toBe(
      'agentic:cache-meta:lock:scenario:items:1',
    );
    expect(keys.channel).toBe('agentic:cache-meta:bus');
  });

  it('should put every tag version on one slot in cluster mode, outside the entries namespace', () => {
    const keys = cacheKeyspace('agentic', true);
    const tagKeys = ['items', 'item:42', 'user:7', 'event:agent_created'].map(keys.tagKey);

    expect(tagKeys[0]).toBe('agentic:cache-meta:tag:{agentic:tags}:items');
    expect(new Set(tagKeys.map(keySlot)).size).toBe(1);
    expect(tagKeys.every((key) => !key.startsWith(`${keys.root}:`))).toBe(true);
    expect(keys.channel).toBe('agentic:cache-meta:bus');
  });
});
