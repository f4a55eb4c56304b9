import type { Job, Queue } from 'bull';
import { startAttempt } from './job-attempts';

/** A queue whose client answers the start script with `reply`. */
function fakeQueue(reply: [number, number] | null) {
  const client: Record<string, unknown> = {};
  const command = jest.fn(() => Promise.resolve(reply));
  client.defineCommand = jest.fn((name: string) => {
    client[name] = command;
  });
  const queue = { client, toKey: (id: string) => `app:bull:fixture:${id}` } as unknown as Queue;
  return { queue, command, defineCommand: client.defineCommand as jest.Mock };
}

const job = (attemptsMade: number, attempts?: number) =>
  ({ id: 7, attemptsMade, opts: attempts === undefined ? {} : { attempts } }) as unknown as Job;

describe(startAttempt.name, () => {
  it('should number the run from the job hash and widen the failure budget by the stalls', async () => {
    // Two runs before this one, both ended by their worker's death.
    const { queue, command } = fakeQueue([3, 2]);
    const started = job(2, 3);

    await expect(startAttempt(queue, started)).resolves.toBe(3);

    expect(command).toHaveBeenCalledWith('app:bull:fixture:7');
    // Bull adds 1 when the run fails (writing 3 back) and retries while 3 < 5: no failure yet.
    expect(started.attemptsMade).toBe(2);
    expect(started.opts.attempts).toBe(5);
  });

  it('should leave the budget alone for a job that never stalled (1 attempt when unset)', async () => {
    const { queue } = fakeQueue([1, 0]);
    const started = job(0);

    await expect(startAttempt(queue, started)).resolves.toBe(1);

    expect(started.attemptsMade).toBe(0);
    expect(started.opts.attempts).toBe(1);
  });

  it('should count nothing for a job removed while active', async () => {
    const { queue } = fakeQueue(null);
    const started = job(1, 3);

    await expect(startAttempt(queue, started)).resolves.toBe(2);

    expect(started.attemptsMade).toBe(1);
    expect(started.opts.attempts).toBe(3);
  });

  it('should define the script on the client once', async () => {
    const { queue, defineCommand } = fakeQueue([1, 0]);

    await startAttempt(queue, job(0, 3));
    await startAttempt(queue, job(0, 3));

    expect(defineCommand).toHaveBeenCalledTimes(1);
  });
});
