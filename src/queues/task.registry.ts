import { Injectable } from '@nestjs/common';
import type { TaskDefinition, TaskFailureHandler } from './task-context';

/** The `@Task` handlers found at boot, by task name, and their `@OnTaskFailed` methods. */
@Injectable()
export class TaskRegistry {
  private readonly tasks = new Map<string, TaskDefinition>();
  private readonly failureHandlers: TaskFailureHandler[] = [];

  /** @internal called by the task explorer. */
  add(task: TaskDefinition): void {
    const existing = this.tasks.get(task.name);
    if (existing) {
      throw new Error(
        `@Task('${task.name}') is declared twice: ${existing.source} and ${task.source}`,
      );
    }
    this.tasks.set(task.name, task);
  }

  /** @internal called by the task explorer. */
  addFailureHandler(handler: TaskFailureHandler): void {
    this.failureHandlers.push(handler);
  }

  /** The `@OnTaskFailed` methods of a task (or of every task when `name` is omitted). */
  failureHandlersOf(name?: string): TaskFailureHandler[] {
    return this.failureHandlers.filter((handler) => name === undefined || handler.task === name);
  }

  get(name: string): TaskDefinition | undefined {
    return this.tasks.get(name);
  }

  /** The tasks of one queue. */
  ofQueue(queue: string): TaskDefinition[] {
    return this.list().filter((task) => task.queue === queue);
  }

  list(): TaskDefinition[] {
    return [...this.tasks.values()];
  }
}
