import type { BracketRun, BracketSeries } from './brackets';
import { bracketRatios, spreadOf } from './brackets';
import { cpuMicrosOf, cpuSplitOf, peakRssBytesOf } from './proc-stats';

const run = (requestsPerSecond: number, cpuMicrosPerRequest = 100): BracketRun =>
  ({ requestsPerSecond, cpuMicrosPerRequest }) as BracketRun;

describe(bracketRatios.name, () => {
  it('should divide each X by the mean of the R runs around it, then take the median', () => {
    const series = {
      brackets: [
        { before: run(1000), value: run(900), after: run(800) },
        { before: run(800), value: run(400), after: run(800) },
        { before: run(1200), value: run(1200), after: run(1200) },
      ],
    } as BracketSeries;

    expect(bracketRatios(series, (r) => r.requestsPerSecond)).toEqual({
      median: 1,
      min: 0.5,
      max: 1,
    });
  });

  it('should read the number it is given, e.g. CPU per request', () => {
    const series = {
      brackets: [{ before: run(1, 50), value: run(1, 150), after: run(1, 100) }],
    } as BracketSeries;

    expect(bracketRatios(series, (r) => r.cpuMicrosPerRequest).median).toBe(2);
  });
});

describe(spreadOf.name, () => {
  it('should give the median (mean of the middle two) and the range', () => {
    expect(spreadOf([3, 1, 4, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
  });

  it('should refuse no values', () => {
    expect(() => spreadOf([])).toThrow('spread of no values');
  });
});

describe('proc stats', () => {
  it('should count CPU time that grows as this process works', () => {
    const before = cpuMicrosOf(process.pid);
    const until = performance.now() + 30;
    while (performance.now() < until) {
      // busy: at least 30 ms of CPU
    }

    expect(cpuMicrosOf(process.pid) - before).toBeGreaterThanOrEqual(10_000);
  });

  it('should count a busy loop as user time, and user plus system as the CPU time', () => {
    const before = cpuSplitOf(process.pid);
    const until = performance.now() + 30;
    while (performance.now() < until) {
      // busy in JavaScript: user time
    }
    const after = cpuSplitOf(process.pid);
    const total = cpuMicrosOf(process.pid);

    expect(after.userMicros - before.userMicros).toBeGreaterThanOrEqual(10_000);
    expect(after.systemMicros).toBeGreaterThanOrEqual(before.systemMicros);
    expect(total).toBeGreaterThanOrEqual(after.userMicros + after.systemMicros);
  });

  it("should read this process's peak RSS as at least its current RSS", () => {
    expect(peakRssBytesOf(process.pid)).toBeGreaterThanOrEqual(process.memoryUsage().rss * 0.9);
  });
});
