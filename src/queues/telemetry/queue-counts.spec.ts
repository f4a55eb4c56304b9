import type { JobQueue } from '../job-queue';
import { QueueRegistry } from '../queue.registry';
import { COUNTS_MAX_AGE_MS, COUNTS_TIMEOUT_MS, QueueCounts } from './queue-counts';

/** A registry holding queues whose `counts()` is the given function. */
function registryOf(queues: Record<string, () => Promise<Record<string, number>>>): QueueRegistry {
  const list = Object.entries(queues).map(([name, counts]) => ({
    queue: { name, counts } as unknown as JobQueue,
    concurrency: 1,
  }));
  return { list: () => list } as unknown as QueueRegistry;
}

describe(QueueCounts.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should serve one read to every caller for at most a second', async () => {
    const counts = jest.fn(() => Promise.resolve({ completed: 1 }));
    const queueCounts = new QueueCounts(registryOf({ compute: counts }));

    const [first, second] = await Promise.all([queueCounts.read(), queueCounts.read()]);
    jest.advanceTimersByTime(COUNTS_MAX_AGE_MS - 1);
    await queueCounts.read();
    expect(counts).toHaveBeenCalledTimes(1);
    expect(first.get('compute')).toEqual({ completed: 1 });
    expect(second).toBe(first);

    jest.advanceTimersByTime(1);
    counts.mockResolvedValueOnce({ completed: 2 });
    const fresh = await queueCounts.read();
    expect(counts).toHaveBeenCalledTimes(2);
    expect(fresh.get('compute')).toEqual({ completed: 2 });
  });

  it('should read again when asked for fresh counts, and serve that read to the next callers', async () => {
    const counts = jest.fn(() => Promise.resolve({ completed: 1 }));
    const queueCounts = new QueueCounts(registryOf({ compute: counts }));

    await queueCounts.read();
    counts.mockResolvedValueOnce({ completed: 2 });
    const fresh = await queueCounts.read({ fresh: true });
    const next = await queueCounts.read();

    expect(counts).toHaveBeenCalledTimes(2);
    expect(fresh.get('compute')).toEqual({ completed: 2 });
    expect(next).toBe(fresh);
  });

  it('should read null for a queue that fails or does not answer, and the others normally', async () => {
    const queueCounts = new QueueCounts(
      registryOf({
        compute: () => Promise.resolve({ completed: 3 }),
        documents: () => new Promise(() => undefined),
        broken: () => Promise.reject(new Error('connection refused')),
      }),
    );

    const pending = queueCounts.read();
    await jest.advanceTimersByTimeAsync(COUNTS_TIMEOUT_MS);
    const counts = await pending;

    expect(Object.fromEntries(counts)).toEqual({
      compute: { completed: 3 },
      documents: null,
      broken: null,
    });
  });
});
