import { Breaker } from './breaker';

describe(Breaker.name, () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: 1_000_000 });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('should stay closed below the threshold and reset the count on success', () => {
    const breaker = new Breaker(3, 2000);

    breaker.failure();
    breaker.failure();
    breaker.success();
    breaker.failure();
    breaker.failure();

    expect(breaker.state).toBe('closed');
    expect(breaker.allow()).toBe(true);
  });

  it('should open after threshold consecutive failures and refuse calls until the reset time', () => {
    const breaker = new Breaker(3, 2000);
    [1, 2, 3].forEach(() => breaker.failure());

    expect(breaker.state).toBe('open');
    expect(breaker.allow()).toBe(false);
    jest.advanceTimersByTime(1999);
    expect(breaker.allow()).toBe(false);
    expect(breaker.state).toBe('open');
  });

  it('should admit exactly one probe when half-open and close when it succeeds', () => {
    const breaker = new Breaker(1, 2000);
    breaker.failure();
    jest.advanceTimersByTime(2000);

    expect(breaker.allow()).toBe(true);
    expect(breaker.state).toBe('half_open');
    expect(breaker.allow()).toBe(false);
    breaker.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.allow()).toBe(true);
  });

  it('should re-open for another full period when the probe fails', () => {
    const breaker = new Breaker(3, 2000);
    [1, 2, 3].forEach(() => breaker.failure());
    jest.advanceTimersByTime(2000);
    expect(breaker.allow()).toBe(true);

    breaker.failure();

    expect(breaker.state).toBe('open');
    jest.advanceTimersByTime(1999);
    expect(breaker.allow()).toBe(false);
    jest.advanceTimersByTime(1);
    expect(breaker.allow()).toBe(true);
  });
});
