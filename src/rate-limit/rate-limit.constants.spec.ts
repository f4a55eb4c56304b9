import { keySlot } from '../redis';
import { rateLimitKeyPrefix } from './rate-limit.constants';

describe(rateLimitKeyPrefix.name, () => {
  it('should keep the standalone prefix', () => {
    expect(rateLimitKeyPrefix('agentic', false)).toBe('agentic:rl:');
  });

  it('should put every counter of a cluster on one slot', () => {
    const prefix = rateLimitKeyPrefix('agentic', true);
    const keys = ['all:user:1:0', 'all:ip:10.0.0.1:0', '/agents:user:2:10000'].map(
      (id) => `${prefix}${id}`,
    );

    expect(prefix).toBe('agentic:rl:{agentic:rl}:');
    expect(new Set(keys.map(keySlot)).size).toBe(1);
  });
});
