import type { Queue } from 'bull';
import { QueueUnavailableError } from './errors/queue-unavailable.error';
import { UnknownTaskError } from './errors/unknown-task.error';
import { JobQueue } from './job-queue';
import { TaskRegistry } from './task.registry';

const ENQUEUE_TIMEOUT_MS = 200;

describe(JobQueue.name, () => {
  let add: jest.SpyInstance;
  let addBulk: jest.SpyInstance;
  let tasks: JobQueue;

  beforeEach(() => {
    const registry = new TaskRegistry();
    registry.add({
      name: 'resize',
      queue: 'images',
      attempts: 4,
      backoffMs: 250,
      timeoutMs: 5000,
      handler: () => Promise.resolve(null),
      source: 'ImageTasks.resize',
    });
    registry.add({
      name: 'thumbnail',
      queue: 'previews',
      handler: () => Promise.resolve(null),
      source: 'PreviewTasks.thumbnail',
    });
    const bull = { on: jest.fn() } as unknown as Queue;
    tasks = new JobQueue('images', bull, registry, ENQUEUE_TIMEOUT_MS);
    // The raw adds are Bull's side; what is checked here is what enqueue hands them.
    add = jest.spyOn(tasks, 'add').mockResolvedValue('1');
    addBulk = jest
      .spyOn(tasks, 'addBulk')
      .mockImplementation((jobs) => Promise.resolve(jobs.map((_job, i) => String(i + 1))));
  });
  afterEach(() => jest.useRealTimers());

  describe('enqueueBulk', () => {
    it("should give every job the task's attempts, backoff and timeout, its own options winning", async () => {
      const ids = await tasks.enqueueBulk('resize', [
        { data: { n: 1 } },
        { data: { n: 2 }, options: { attempts: 1, jobId: 'mine' } },
      ]);

      expect(ids).toEqual(['1', '2']);
      expect(addBulk).toHaveBeenCalledWith([
        {
          name: 'resize',
          data: { n: 1 },
          options: { attempts: 4, backoffMs: 250, timeoutMs: 5000 },
        },
        {
          name: 'resize',
          data: { n: 2 },
          options: { attempts: 1, backoffMs: 250, timeoutMs: 5000, jobId: 'mine' },
        },
      ]);
      // The same defaults as a single enqueue.
      await tasks.enqueue('resize', { n: 3 });
      expect(add).toHaveBeenCalledWith(
        'resize',
        { n: 3 },
        { attempts: 4, backoffMs: 250, timeoutMs: 5000 },
      );
    });

    it('should reject an unknown task name, even with no items', async () => {
      await expect(tasks.enqueueBulk('nope', [])).rejects.toBeInstanceOf(UnknownTaskError);
      await expect(tasks.enqueueBulk('nope', [{ data: 1 }])).rejects.toBeInstanceOf(
        UnknownTaskError,
      );
      expect(addBulk).not.toHaveBeenCalled();
    });

    it('should reject a task of another queue: no worker of this queue could run it', async () => {
      await expect(tasks.enqueueBulk('thumbnail', [{ data: 1 }])).rejects.toThrow(
        new UnknownTaskError('thumbnail', 'images'),
      );
      await expect(tasks.enqueue('thumbnail', 1)).rejects.toBeInstanceOf(UnknownTaskError);
      expect(addBulk).not.toHaveBeenCalled();
      expect(add).not.toHaveBeenCalled();
    });

    it('should not call Redis for no items', async () => {
      await expect(tasks.enqueueBulk('resize', [])).resolves.toEqual([]);
      expect(addBulk).not.toHaveBeenCalled();
    });

    it('should fail with QueueUnavailableError when Redis does not answer within the enqueue timeout', async () => {
      jest.useFakeTimers();
      addBulk.mockReturnValue(new Promise<never>(() => undefined));
      let error: unknown;

      const bulk = tasks.enqueueBulk('resize', [{ data: 1 }]).catch((e: unknown) => (error = e));
      await jest.advanceTimersByTimeAsync(ENQUEUE_TIMEOUT_MS - 1);
      expect(error).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      await bulk;

      expect(error).toBeInstanceOf(QueueUnavailableError);
      expect((error as Error).message).toBe(
        `Queue "images" is unavailable (no answer in ${ENQUEUE_TIMEOUT_MS} ms)`,
      );
    });

    it('should turn a Redis error into QueueUnavailableError', async () => {
      addBulk.mockRejectedValue(new Error('connection closed'));

      await expect(tasks.enqueueBulk('resize', [{ data: 1 }])).rejects.toThrow(
        new QueueUnavailableError('images', 'connection closed'),
      );
    });
  });
});
