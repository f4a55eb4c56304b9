import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BracketRun, BracketSeries, BracketTarget } from './brackets';
import { bracketRatios, measureInBrackets, serverBusy, spreadOf } from './brackets';
import type { ServerProcess } from './server-process';
import { cpuMicrosOf, cpuSplitOf, peakRssBytesOf } from './proc-stats';
import { wrkVersion } from './wrk-load';

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

describe(serverBusy.name, () => {
  it('should give the share of one core the server used: CPU per request times req/s', () => {
    expect(serverBusy(run(20_000, 45))).toBeCloseTo(0.9);
  });
});

describe(measureInBrackets.name, () => {
  let server: Server;
  let served = 0;
  /** Serves `same` for its first `changeAfter` responses, then another body. */
  let changeAfter = Infinity;

  beforeAll(async () => {
    server = createServer((request, response) => {
      served++;
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(served <= changeAfter ? 'same' : 'other');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    served = 0;
    changeAfter = Infinity;
  });

  // A stand-in for the bench's child process: the loopback server above, no CPU counters.
  const target = (label: string): BracketTarget => ({
    label,
    path: '/',
    server: {
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      cpuSplit: () => ({ userMicros: 0, systemMicros: 0 }),
    } as ServerProcess,
  });
  const options = { rounds: 1, duration: 1, connections: 2, warmup: 0, log: () => undefined };

  it('should measure a round of R-X-R when every body matches', async () => {
    const [series] = await measureInBrackets(target('R'), [target('X')], options);

    expect(series.brackets).toHaveLength(1);
    expect(series.brackets[0].value.requests).toBeGreaterThan(0);
  });

  it('should fail when a body differs from the first one, in the checked run after the rounds', async () => {
    // The body changes once the rounds are under way: only the checked run compares bodies.
    changeAfter = 5;

    await expect(measureInBrackets(target('R'), [target('X')], options)).rejects.toThrow(
      /bodies differing/,
    );
  });

  (wrkVersion() === undefined ? it.skip : it)(
    'should run the rounds with wrk when asked, and still compare bodies in the checked run',
    async () => {
      const withWrk = { ...options, generator: 'wrk' as const };
      const [series] = await measureInBrackets(target('R'), [target('X')], withWrk);
      expect(series.brackets[0].value.requests).toBeGreaterThan(0);

      served = 0;
      changeAfter = 5;
      await expect(measureInBrackets(target('R'), [target('X')], withWrk)).rejects.toThrow(
        /bodies differing/,
      );
    },
  );
});
