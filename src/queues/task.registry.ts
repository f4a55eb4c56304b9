import { Injectable } from '@nestjs/common';
import type { TaskDefinition } from './task-context';

/** The `@Task` handlers found at boot, by task name. */
@Injectable()
export class TaskRegistry {
  private readonly tasks = new Map<string, TaskDefinition>();

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
