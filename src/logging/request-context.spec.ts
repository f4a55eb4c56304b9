import { AsyncLocalStorage } from 'node:async_hooks';
import { setImmediate as tick } from 'node:timers/promises';
import { RequestContextGate } from './request-context';

describe('RequestContextGate', () => {
  let storage: AsyncLocalStorage<string>;
  let gate: RequestContextGate<string>;

  beforeEach(() => {
    storage = new AsyncLocalStorage<string>();
    gate = new RequestContextGate(storage);
  });

  afterEach(() => storage.disable());

  /** Enters `name`, then reads the store after an await, as a handler logging late would. */
  const serve = (name: string, until: Promise<void>) =>
    gate.enter(name, async () => {
      await until;
      await tick();
      return storage.getStore();
    });

  it('should keep each request its own store while any is in flight', async () => {
    let finishA!: () => void;
    let finishB!: () => void;
    const a = serve('a', new Promise<void>((resolve) => (finishA = resolve)));
    const b = serve('b', new Promise<void>((resolve) => (finishB = resolve)));
    expect(gate.active).toBe(2);

    finishA();
    await expect(a).resolves.toBe('a');
    gate.leave();
    // B is still in flight: the store stays on for it.
    finishB();
    await expect(b).resolves.toBe('b');
    gate.leave();
    expect(gate.active).toBe(0);
  });

  it('should switch the store off once the last request is done, and on again for the next', async () => {
    let late: Promise<string | undefined> | undefined;
    await gate.enter('first', async () => {
      late = new Promise((resolve) => setTimeout(() => resolve(storage.getStore()), 20));
      await tick();
    });
    gate.leave();
    // A continuation of the finished request, run once the store is off: no request fields.
    await expect(late).resolves.toBeUndefined();

    await expect(serve('second', Promise.resolve())).resolves.toBe('second');
    gate.leave();
  });

  it('should disable the storage exactly when the count reaches zero', () => {
    const stub = { run: <R>(_store: string, fn: () => R): R => fn(), disable: jest.fn() };
    const counted = new RequestContextGate<string>(stub);
    counted.enter('a', () => undefined);
    counted.enter('b', () => undefined);
    counted.leave();
    expect(stub.disable).not.toHaveBeenCalled();
    counted.leave();
    expect(stub.disable).toHaveBeenCalledTimes(1);
    // A stray leave never drives the count below zero nor disables twice.
    counted.leave();
    expect(stub.disable).toHaveBeenCalledTimes(1);
    expect(counted.active).toBe(0);
  });
});
