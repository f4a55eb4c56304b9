import { chooseReadTarget, type ReplicaState } from './read-target';

const MAX_LAG = 5_000;
const replica = (over: Partial<ReplicaState> = {}): ReplicaState => ({
  name: 'replica-0',
  up: true,
  replayed: 1_000,
  lagMs: 0,
  ...over,
});
const read = { lagTolerant: true, wrote: false, required: 0 };

describe(chooseReadTarget.name, () => {
  it('should send a lag-tolerant read with nothing to wait for to a replica', () => {
    expect(chooseReadTarget(read, [replica()], MAX_LAG, 0)).toEqual({
      index: 0,
      reason: 'lag_tolerant',
    });
  });

  it('should keep writes and reads outside a request on the primary', () => {
    expect(chooseReadTarget({ ...read, lagTolerant: false }, [replica()], MAX_LAG, 0)).toEqual({
      reason: 'not_lag_tolerant',
    });
  });

  it('should keep the rest of a request that wrote on the primary', () => {
    expect(
      chooseReadTarget({ ...read, wrote: true }, [replica()], MAX_LAG, 0).index,
    ).toBeUndefined();
  });

  it('should send the caller to the primary until a replica replayed their write', () => {
    const behind = chooseReadTarget({ ...read, required: 1_001 }, [replica()], MAX_LAG, 0);
    const caughtUp = chooseReadTarget({ ...read, required: 1_000 }, [replica()], MAX_LAG, 0);

    expect(behind).toEqual({ reason: 'read_your_writes' });
    expect(caughtUp.index).toBe(0);
  });

  it('should pick a replica that replayed the write over one that did not', () => {
    const replicas = [replica({ replayed: 10 }), replica({ name: 'replica-1', replayed: 2_000 })];

    for (let turn = 0; turn < 4; turn += 1) {
      expect(chooseReadTarget({ ...read, required: 1_500 }, replicas, MAX_LAG, turn).index).toBe(1);
    }
  });

  it('should read the primary when the marks could not be read (Redis down)', () => {
    expect(chooseReadTarget({ ...read, required: undefined }, [replica()], MAX_LAG, 0)).toEqual({
      reason: 'marks_unavailable',
    });
  });

  it.each([
    ['down', { up: false }],
    ['lagging beyond the bound', { lagMs: MAX_LAG + 1, reason: 'lagging' }],
    ['not a standby', { reason: 'not_standby' }],
    ['not yet checked', { up: false, reason: 'unchecked' }],
  ])('should skip a replica that is %s', (_, over) => {
    expect(chooseReadTarget(read, [replica(over)], MAX_LAG, 0)).toEqual({
      reason: 'no_healthy_replica',
    });
  });

  it('should rotate among usable replicas', () => {
    const replicas = [replica(), replica({ name: 'replica-1' }), replica({ up: false })];
    const picks = [0, 1, 2, 3].map((turn) => chooseReadTarget(read, replicas, MAX_LAG, turn).index);

    expect(picks).toEqual([0, 1, 0, 1]);
  });

  it('should keep a request on the replica it read first while that one qualifies', () => {
    const replicas = [replica(), replica({ name: 'replica-1' })];

    expect(chooseReadTarget({ ...read, preferred: 1 }, replicas, MAX_LAG, 0).index).toBe(1);
    expect(
      chooseReadTarget({ ...read, preferred: 1 }, [replicas[0], replica({ up: false })], MAX_LAG, 0)
        .index,
    ).toBe(0);
  });
});
