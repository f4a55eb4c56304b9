import { Injectable, Logger } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { OnTaskFailed } from './decorators/on-task-failed.decorator';
import { Task } from './decorators/task.decorator';
import type { JobQueue } from './job-queue';
import { QueueRegistry } from './queue.registry';
import type { TaskContext } from './task-context';
import { TaskExplorer } from './task.explorer';
import { TaskRegistry } from './task.registry';

@Injectable()
class ReportTasks {
  calls: { data: unknown; context: TaskContext }[] = [];

  @Task('render_report', { queue: 'reports', attempts: 2, timeoutMs: 500 })
  render(data: unknown, context: TaskContext): Promise<string> {
    this.calls.push({ data, context });
    return Promise.resolve('rendered');
  }

  @Task('send_mail', { queue: 'mail' })
  send(): Promise<void> {
    return Promise.resolve();
  }
}

/** A registered queue; the explorer only asks whether it exists. */
function fakeQueue(name: string) {
  return { name, bull: {} } as unknown as JobQueue;
}

/** Settles failed reports, and names a task that does not exist (a typo). */
@Injectable()
class Settlers {
  @OnTaskFailed('render_report')
  settle(): void {}

  @OnTaskFailed('render_reports')
  misspelled(): void {}
}

function setUp(options: { queues: JobQueue[]; extra?: object[] }) {
  const instance = new ReportTasks();
  const discovery = {
    getProviders: () =>
      [instance, ...(options.extra ?? [])].map((provider) => ({
        instance: provider,
        isDependencyTreeStatic: () => true,
      })),
  } as unknown as DiscoveryService;
  const registry = new QueueRegistry();
  options.queues.forEach((queue) => registry.add(queue, 3));
  const tasks = new TaskRegistry();
  const explorer = new TaskExplorer(
    discovery,
    new MetadataScanner(),
    new Reflector(),
    tasks,
    registry,
  );
  return { explorer, instance, tasks };
}

describe(TaskExplorer.name, () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('should register each @Task with its queue and options, its handler bound to the provider', async () => {
    const { explorer, instance, tasks } = setUp({
      queues: [fakeQueue('reports'), fakeQueue('mail')],
    });
    const context = { id: '1', attempt: 1 } as TaskContext;

    explorer.onModuleInit();

    expect(tasks.get('render_report')).toMatchObject({
      name: 'render_report',
      queue: 'reports',
      attempts: 2,
      timeoutMs: 500,
      source: 'ReportTasks.render',
    });
    expect(tasks.ofQueue('mail').map((task) => task.name)).toEqual(['send_mail']);
    await expect(tasks.get('render_report')?.handler({ page: 1 }, context)).resolves.toBe(
      'rendered',
    );
    expect(instance.calls).toEqual([{ data: { page: 1 }, context }]);
  });

  it('should fail the boot when an @OnTaskFailed method names no @Task', () => {
    const { explorer } = setUp({
      queues: [fakeQueue('reports'), fakeQueue('mail')],
      extra: [new Settlers()],
    });

    expect(() => explorer.onModuleInit()).toThrow(
      "Settlers.misspelled: @OnTaskFailed('render_reports') names no @Task",
    );
  });

  it('should fail the boot when a @Task names a queue that is not registered', () => {
    const { explorer } = setUp({ queues: [fakeQueue('reports')] });

    expect(() => explorer.onModuleInit()).toThrow(
      `ReportTasks.send: @Task('send_mail') uses queue "mail", which is not registered`,
    );
  });
});
