import { Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Job } from 'bull';
import type { StartupState } from '../monitoring';
import { MissingTaskHandlerError } from './errors/missing-task-handler.error';
import type { JobQueue } from './job-queue';
import type { JobHandler } from './queue-worker';
import type { queuesConfig } from './queues.config';
import { QueueRegistry } from './queue.registry';
import type { TaskContext } from './task-context';
import { TaskRegistry } from './task.registry';
import { TaskWorker } from './task-worker';
import type { WorkLimiter } from './work-limiter';

/** The tasks as the explorer would register them: `render_report` on reports, `send_mail` on mail. */
function reportTasks() {
  const calls: { data: unknown; context: TaskContext }[] = [];
  const tasks = new TaskRegistry();
  tasks.add({
    name: 'render_report',
    queue: 'reports',
    handler: (data, context) => {
      calls.push({ data, context });
      return Promise.resolve('rendered');
    },
    source: 'ReportTasks.render',
  });
  tasks.add({
    name: 'send_mail',
    queue: 'mail',
    handler: () => Promise.resolve(),
    source: 'ReportTasks.send',
  });
  return { tasks, calls };
}

/** A queue whose stored jobs have the given names (or whose Redis is down). */
function fakeQueue(name: string, stored: string[] | Error) {
  const getJobs = jest.fn(() =>
    stored instanceof Error
      ? Promise.reject(stored)
      : Promise.resolve(stored.map((jobName) => ({ name: jobName }) as Job)),
  );
  const process = jest.fn<void, [number, JobHandler]>();
  return { name, bull: { getJobs, on: jest.fn() }, process, getJobs } as unknown as JobQueue & {
    getJobs: typeof getJobs;
    process: typeof process;
  };
}

function setUp(options: { queues: ReturnType<typeof fakeQueue>[]; process?: boolean }) {
  const { tasks, calls } = reportTasks();
  const registry = new QueueRegistry();
  for (const queue of options.queues) {
    registry.add(queue, 3);
    // The fake's `process` records what the queue's worker was asked to start.
    jest.spyOn(registry.get(queue.name)!.worker, 'process').mockImplementation(queue.process);
  }
  const release = jest.fn();
  const startup = { hold: jest.fn(() => release) } as unknown as StartupState;
  const limiter = { run: jest.fn((work: () => Promise<unknown>) => work()) };
  const worker = new TaskWorker(tasks, registry, limiter as unknown as WorkLimiter, startup, {
    process: options.process ?? true,
  } as ConfigType<typeof queuesConfig>);
  return { worker, instance: { calls }, release, limiter };
}

describe(TaskWorker.name, () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('should fail the boot when a queue holds jobs named for no handler of that queue', async () => {
    // send_mail has a handler, but on another queue: the reports worker cannot run it.
    const reports = fakeQueue('reports', [
      'render_report',
      'render_pdf',
      'send_mail',
      'render_pdf',
    ]);
    const { worker, release } = setUp({ queues: [reports, fakeQueue('mail', [])] });

    const boot = worker.onApplicationBootstrap();

    await expect(boot).rejects.toBeInstanceOf(MissingTaskHandlerError);
    await expect(boot).rejects.toMatchObject({
      kind: 'missing-task-handler',
      queue: 'reports',
      names: ['render_pdf', 'send_mail'],
      message:
        'Queue "reports" holds jobs named "render_pdf", "send_mail" but no @Task handles them',
    });
    expect(reports.getJobs).toHaveBeenCalledWith(['waiting', 'delayed', 'paused'], 0, 999);
    expect(reports.process).not.toHaveBeenCalled();
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('should start every worker when all stored job names have a handler', async () => {
    const reports = fakeQueue('reports', ['render_report', 'render_report']);
    const mail = fakeQueue('mail', []);
    const { worker, release } = setUp({ queues: [reports, mail] });

    await worker.onApplicationBootstrap();

    expect(reports.process).toHaveBeenCalledWith(3, expect.any(Function));
    expect(mail.process).toHaveBeenCalledWith(3, expect.any(Function));
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('should skip the check, warn and still process when Redis does not answer', async () => {
    const reports = fakeQueue('reports', new Error('connect ECONNREFUSED'));
    const mail = fakeQueue('mail', []);
    const { worker } = setUp({ queues: [reports, mail] });

    await worker.onApplicationBootstrap();

    expect(Logger.prototype.warn).toHaveBeenCalledWith(
      'Queue "reports": Redis unavailable, stored job names not checked',
    );
    expect(reports.process).toHaveBeenCalled();
  });

  it('should neither check nor process in a producer-only process', async () => {
    const reports = fakeQueue('reports', ['render_pdf']);
    const mail = fakeQueue('mail', []);
    const { worker } = setUp({ queues: [reports, mail], process: false });

    await worker.onApplicationBootstrap();

    expect(reports.getJobs).not.toHaveBeenCalled();
    expect(reports.process).not.toHaveBeenCalled();
  });

  it('should run known jobs through the limiter and fail the attempt of unknown ones', async () => {
    const reports = fakeQueue('reports', []);
    const { worker, instance, limiter } = setUp({ queues: [reports, fakeQueue('mail', [])] });
    await worker.onApplicationBootstrap();
    const [[, handler]] = reports.process.mock.calls;
    const job = (name: string) =>
      ({ id: 7, name, data: { page: 1 }, attemptsMade: 1, progress: jest.fn() }) as unknown as Job;

    await expect(handler(job('render_report'))).resolves.toBe('rendered');
    await expect(handler(job('render_pdf'))).rejects.toThrow(
      'No @Task handler for "render_pdf" in this worker',
    );

    expect(limiter.run).toHaveBeenCalledTimes(1);
    expect(instance.calls).toEqual([
      { data: { page: 1 }, context: expect.objectContaining({ id: '7', attempt: 2 }) },
    ]);
  });
});
