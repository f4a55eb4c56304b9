import { median, sample } from './timer';

describe(median.name, () => {
  it('should take the middle value of an odd count, unsorted', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('should average the middle two of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('should refuse an empty list', () => {
    expect(() => median([])).toThrow('median of no values');
  });
});

describe(sample.name, () => {
  it('should run the function the given number of times, in order', async () => {
    const runs: number[] = [];

    const durations = await sample(3, (run) => Promise.resolve(runs.push(run)));

    expect(runs).toEqual([0, 1, 2]);
    expect(durations).toHaveLength(3);
    expect(durations.every((ms) => ms >= 0)).toBe(true);
  });
});
