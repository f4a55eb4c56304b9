import { LagEstimator } from './replica-lag';

describe(LagEstimator.name, () => {
  it('should report no lag on an idle primary, however old the last write', () => {
    const lag = new LagEstimator(60_000);
    lag.primaryAt(100, 0);
    lag.primaryAt(100, 50_000);

    expect(lag.lagMs(100, 50_000)).toBe(0);
  });

  it('should count from when the primary was first seen past the replay position', () => {
    const lag = new LagEstimator(60_000);
    lag.primaryAt(100, 1_000);
    lag.primaryAt(200, 2_000);
    lag.primaryAt(300, 3_000);

    expect(lag.lagMs(150, 4_000)).toBe(2_000);
    expect(lag.lagMs(250, 4_000)).toBe(1_000);
    expect(lag.lagMs(300, 4_000)).toBe(0);
  });

  it('should grow while replay stays put and the primary moves on', () => {
    const lag = new LagEstimator(60_000);
    lag.primaryAt(100, 0);
    lag.primaryAt(200, 1_000);

    expect(lag.lagMs(100, 1_000)).toBe(0);
    expect(lag.lagMs(100, 9_000)).toBe(8_000);
  });

  it('should keep a bounded history, capping the lag near the horizon', () => {
    const lag = new LagEstimator(10_000);
    for (let at = 0; at <= 100_000; at += 1_000) {
      lag.primaryAt(at + 1, at);
    }

    expect(lag.lagMs(0, 100_000)).toBeGreaterThanOrEqual(10_000);
    expect(lag.lagMs(0, 100_000)).toBeLessThanOrEqual(12_000);
  });
});
