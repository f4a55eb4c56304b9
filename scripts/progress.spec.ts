import { formatDuration, formatProgress, ProgressBar } from './progress';

describe(formatProgress.name, () => {
  it('should show bar, percentage, counts, rate and ETA', () => {
    const line = formatProgress({ done: 250_000, total: 1_000_000, elapsedMs: 2000 }, 20);

    expect(line).toBe(
      '[#####---------------]  25.0% 250,000/1,000,000 rows  125,000 rows/s  ETA 6s',
    );
  });

  it('should show an unknown ETA before any progress and a full bar for nothing to do', () => {
    expect(formatProgress({ done: 0, total: 10, elapsedMs: 0 }, 4)).toContain('ETA --');
    expect(formatProgress({ done: 0, total: 0, elapsedMs: 5 }, 4)).toContain('[####] 100.0%');
  });
});

describe(formatDuration.name, () => {
  it.each([
    [undefined, '--'],
    [Infinity, '--'],
    [44.6, '45s'],
    [125, '2m05s'],
    [3720, '1h02m'],
  ])('should format %p as %p', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe(ProgressBar.name, () => {
  const outputOf = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, output: { isTTY, write: (text: string) => writes.push(text) } };
  };

  it('should print a line per 10% when the output is not a terminal', () => {
    const { writes, output } = outputOf(false);
    const bar = new ProgressBar('agents', 100, output, () => 0);

    for (let done = 1; done <= 100; done++) {
      bar.update(done);
    }
    bar.finish(100);

    expect(writes).toHaveLength(10);
    expect(writes.every((line) => line.startsWith('agents [') && line.endsWith('\n'))).toBe(true);
    expect(writes[9]).toContain('100.0%');
  });

  it('should redraw in place on a terminal at most every 100 ms', () => {
    const { writes, output } = outputOf(true);
    let now = 0;
    const bar = new ProgressBar('agents', 100, output, () => now);

    bar.update(1);
    now = 50;
    bar.update(2);
    now = 150;
    bar.update(3);
    bar.finish(100);

    expect(writes).toHaveLength(3);
    expect(writes.every((text) => text.startsWith('\r'))).toBe(true);
    expect(writes[2].endsWith('\n')).toBe(true);
  });
});
