import { NotFoundException } from '@nestjs/common';
import { CircuitBreakerManager } from './circuit-breaker.manager';
import { CircuitBreakerOpenError } from './errors/circuit-breaker-open.error';

describe(CircuitBreakerManager.name, () => {
  let manager: CircuitBreakerManager;

  beforeEach(() => {
    manager = new CircuitBreakerManager(
      { defaults: { callTimeoutMs: 1000, failureThreshold: 4, maxConcurrent: 7 } },
      {
        defaults: { failureThreshold: 5 },
        breakers: { payments: { maxConcurrent: 2 } },
      },
    );
  });

  afterEach(() => {
    manager.onApplicationShutdown();
  });

  it('should merge options as defaults < forRoot < env defaults < call < per-breaker env', () => {
    const breaker = manager.get('payments', { callTimeoutMs: 300, maxConcurrent: 50 });

    expect(breaker.options).toMatchObject({
      callTimeoutMs: 300,
      failureThreshold: 5,
      failureTimeoutMs: 30000,
      maxConcurrent: 2,
      halfOpenProbes: 1,
    });
  });

  it('should keep one breaker per name', () => {
    const first = manager.get('search', { failureThreshold: 9 });

    expect(manager.get('search')).toBe(first);
    expect(manager.list()).toEqual([first]);
    expect(manager.require('search')).toBe(first);
  });

  it("should not answer the caller's own error (4xx) with the fallback", async () => {
    const fallback = jest.fn(() => 'default');
    const notFound = Object.assign(new Error('no such thing'), { status: 404 });

    await expect(manager.call('search', () => Promise.reject(notFound), { fallback })).rejects.toBe(
      notFound,
    );
    expect(fallback).not.toHaveBeenCalled();
  });

  it('should answer with the fallback when the call fails or is rejected', async () => {
    const fallback = jest.fn((error: unknown) => `cached (${(error as Error).name})`);

    await expect(
      manager.call('search', () => Promise.reject(new Error('down')), { fallback }),
    ).resolves.toBe('cached (Error)');
    manager.require('search').forceOpen();
    await expect(manager.call('search', () => Promise.resolve('live'), { fallback })).resolves.toBe(
      'cached (CircuitBreakerOpenError)',
    );
    await expect(manager.call('search', () => Promise.resolve('live'))).rejects.toBeInstanceOf(
      CircuitBreakerOpenError,
    );
  });

  it('should report every breaker in getAllMetrics', async () => {
    await manager.call('a', () => Promise.resolve(1));
    manager.get('b').forceOpen();

    const metrics = manager.getAllMetrics();

    expect(Object.keys(metrics)).toEqual(['a', 'b']);
    expect(metrics.a).toMatchObject({ state: 'closed', calls: { success: 1 } });
    expect(metrics.b).toMatchObject({ state: 'forced_open' });
  });

  it('should 404 on an unknown breaker name', () => {
    expect(() => manager.require('nope')).toThrow(NotFoundException);
  });
});
