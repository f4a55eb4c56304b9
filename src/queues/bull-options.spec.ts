import { keySlot } from '../redis';
import { bullQueuePrefix } from './bull-options';

describe(bullQueuePrefix.name, () => {
  it('should keep the standalone prefix', () => {
    expect(bullQueuePrefix('agentic', 'compute', false)).toBe('agentic:bull');
  });

  it("should give each queue its own hash tag in cluster mode, so Bull's keys of a queue share a slot", () => {
    const prefix = bullQueuePrefix('agentic', 'compute', true);
    // Bull names keys `<prefix>:<queue>:<kind>`.
    const keys = ['wait', 'active', 'delayed', '42', 'stalled-check'].map(
      (kind) => `${prefix}:compute:${kind}`,
    );

    expect(prefix).toBe('agentic:bull:{agentic:compute}');
    expect(new Set(keys.map(keySlot)).size).toBe(1);
    expect(keySlot(`${bullQueuePrefix('agentic', 'documents', true)}:documents:wait`)).not.toBe(
      keySlot(keys[0]),
    );
  });
});
