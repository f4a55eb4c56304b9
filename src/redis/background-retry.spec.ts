import { BackgroundRetry } from './background-retry';

describe(BackgroundRetry.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should retry after 100 ms doubling while work is left, start over once done, and stop', async () => {
    const left = [false, false, true, true];
    const runsAt: number[] = [];
    const sut = new BackgroundRetry(() => {
      runsAt.push(Date.now());
      return Promise.resolve(left.shift() ?? true);
    });
    const start = Date.now();

    sut.schedule();
    sut.schedule(); // already due: one run
    await jest.advanceTimersByTimeAsync(100 + 200 + 400);
    expect(runsAt.map((at) => at - start)).toEqual([100, 300, 700]);

    sut.schedule(); // done before: the delay starts over
    await jest.advanceTimersByTimeAsync(100);
    expect(runsAt).toHaveLength(4);

    sut.schedule();
    await sut.stop();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(runsAt).toHaveLength(4);
  });
});
