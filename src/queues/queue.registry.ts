import { Injectable } from '@nestjs/common';
import type { JobQueue } from './job-queue';

/** A queue of this process and how many of its jobs the local worker runs at once. */
export interface RegisteredQueue {
  queue: JobQueue;
  concurrency: number;
}

/** Every queue registered in this process (metrics, health, board and shutdown walk it). */
@Injectable()
export class QueueRegistry {
  private readonly queues = new Map<string, RegisteredQueue>();

  /** @internal called by the queue providers of `QueuesModule.registerQueue`. */
  add(queue: JobQueue, concurrency: number): void {
    if (this.queues.has(queue.name)) {
      throw new Error(`Queue "${queue.name}" is registered twice`);
    }
    this.queues.set(queue.name, { queue, concurrency });
  }

  get(name: string): RegisteredQueue | undefined {
    return this.queues.get(name);
  }

  list(): RegisteredQueue[] {
    return [...this.queues.values()];
  }
}
