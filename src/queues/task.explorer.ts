import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { TaskMetadata } from './decorators/task.decorator';
import { DEFAULT_TASK_QUEUE, TASK_FAILED_METADATA, TASK_METADATA } from './queues.constants';
import { QueueRegistry } from './queue.registry';
import type { TaskDefinition } from './task-context';
import { TaskRegistry } from './task.registry';

/** A provider method found by the scan. */
type Method = (...args: unknown[]) => unknown;

/**
 * Finds `@Task` and `@OnTaskFailed` methods at boot and registers them, like @nestjs/bull's
 * explorer binds `@Process`; running them is `TaskWorker`'s job. Boot fails when a task names an
 * unregistered queue or an `@OnTaskFailed` names no task. Both are checked here, in
 * `onModuleInit`: every queue provider exists by then and every `onModuleInit` ends before any
 * `onApplicationBootstrap`, so no worker starts on a bad declaration.
 */
@Injectable()
export class TaskExplorer implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly tasks: TaskRegistry,
    private readonly queues: QueueRegistry,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) {
        continue;
      }
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const target = (instance as Record<string, unknown>)[method];
        if (typeof target === 'function') {
          this.register(instance, method, target as Method);
        }
      }
    }
    this.validate();
  }

  private register(instance: object, method: string, fn: Method): void {
    const source = `${instance.constructor.name}.${method}`;
    const meta = this.reflector.get<TaskMetadata | undefined>(TASK_METADATA, fn);
    if (meta) {
      this.tasks.add(define(meta, source, (data, context) => fn.call(instance, data, context)));
    }
    const failedTasks = this.reflector.get<string[] | undefined>(TASK_FAILED_METADATA, fn);
    for (const task of failedTasks ?? []) {
      this.tasks.addFailureHandler({
        task,
        handler: async (data, context, error) => {
          await fn.call(instance, data, context, error);
        },
        source,
      });
    }
  }

  private validate(): void {
    for (const { task, source } of this.tasks.failureHandlersOf()) {
      if (!this.tasks.get(task)) {
        throw new Error(`${source}: @OnTaskFailed('${task}') names no @Task`);
      }
    }
    for (const task of this.tasks.list()) {
      if (!this.queues.get(task.queue)) {
        throw new Error(
          `${task.source}: @Task('${task.name}') uses queue "${task.queue}", which is not registered (QueuesModule.registerQueue)`,
        );
      }
    }
  }
}

function define(meta: TaskMetadata, source: string, call: Method): TaskDefinition {
  const { name, queue, ...options } = meta;
  return {
    name,
    queue: queue ?? DEFAULT_TASK_QUEUE,
    ...options,
    handler: (data, context) => Promise.resolve(call(data, context)),
    source,
  };
}
