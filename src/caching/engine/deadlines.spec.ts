import { Deadlines } from './deadlines';

describe('Deadlines', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('expires a call once its timeout has passed, and only once', () => {
    const deadlines = new Deadlines(50);
    const expire = jest.fn();
    deadlines.add(expire);

    jest.advanceTimersByTime(40);
    expect(expire).not.toHaveBeenCalled();

    jest.advanceTimersByTime(20);
    expect(expire).toHaveBeenCalledTimes(1);
    expect(deadlines.size).toBe(0);
    jest.advanceTimersByTime(200);
    expect(expire).toHaveBeenCalledTimes(1);
  });

  it('never expires a settled call, and drops it from the queue at once', () => {
    const deadlines = new Deadlines(50);
    const expire = jest.fn();
    const entry = deadlines.add(expire);

    deadlines.settle(entry);

    expect(deadlines.size).toBe(0);
    expect(entry.expire).toBeUndefined();
    jest.advanceTimersByTime(200);
    expect(expire).not.toHaveBeenCalled();
  });

  it('keeps a call settled out of order until the ones before it leave, then drops them together', () => {
    const deadlines = new Deadlines(50);
    const first = jest.fn();
    const second = jest.fn();
    const firstEntry = deadlines.add(first);
    const secondEntry = deadlines.add(second);

    deadlines.settle(secondEntry);
    expect(deadlines.size).toBe(2);
    // What it would have run is gone already: the queue holds nothing of the settled call.
    expect(secondEntry.expire).toBeUndefined();

    deadlines.settle(firstEntry);
    expect(deadlines.size).toBe(0);
    jest.advanceTimersByTime(200);
    expect(first).not.toHaveBeenCalled();
    expect(second).not.toHaveBeenCalled();
  });

  it('expires a late call while a later one settled behind it is dropped with it', () => {
    const deadlines = new Deadlines(50);
    const late = jest.fn();
    const quick = jest.fn();
    deadlines.add(late);
    deadlines.settle(deadlines.add(quick));

    jest.advanceTimersByTime(60);

    expect(late).toHaveBeenCalledTimes(1);
    expect(quick).not.toHaveBeenCalled();
    expect(deadlines.size).toBe(0);
  });

  it('keeps every call through growth and wrap-around, each expired once, in order', () => {
    const deadlines = new Deadlines(50);
    // Move the ring's head past its start, so the growth below copies a wrapped queue.
    for (let index = 0; index < 40; index++) {
      deadlines.settle(deadlines.add(() => undefined));
    }
    const expired: number[] = [];
    const settledEarly = new Set([3, 77, 150]);
    const entries = Array.from({ length: 200 }, (_, index) =>
      deadlines.add(() => expired.push(index)),
    );
    for (const index of settledEarly) {
      deadlines.settle(entries[index]);
    }
    expect(deadlines.size).toBe(200);

    jest.advanceTimersByTime(60);

    expect(expired).toEqual(
      Array.from({ length: 200 }, (_, index) => index).filter((index) => !settledEarly.has(index)),
    );
    expect(deadlines.size).toBe(0);
  });

  it('expires only the calls whose deadline has passed', () => {
    const deadlines = new Deadlines(50);
    const early = jest.fn();
    const later = jest.fn();
    deadlines.add(early);
    jest.advanceTimersByTime(30);
    deadlines.add(later);

    jest.advanceTimersByTime(30);
    expect(early).toHaveBeenCalledTimes(1);
    expect(later).not.toHaveBeenCalled();
    expect(deadlines.size).toBe(1);

    jest.advanceTimersByTime(30);
    expect(later).toHaveBeenCalledTimes(1);
    expect(deadlines.size).toBe(0);
  });

  it('stops its sweep timer when no call is pending', () => {
    const deadlines = new Deadlines(50);
    deadlines.add(() => undefined);
    expect(jest.getTimerCount()).toBe(1);

    jest.advanceTimersByTime(60);

    expect(jest.getTimerCount()).toBe(0);
  });
});
