import { Injectable } from '@nestjs/common';
import type { JobQueue } from './job-queue';
import { QueueWorker } from './queue-worker';

/** A queue of this process, its local worker, and how many jobs that worker runs at once. */
export interface RegisteredQueue {
  queue: JobQueue;
  worker: QueueWorker;
  concurrency: number;
}

/** Every queue registered in this process (workers, metrics, health, board and shutdown walk it). */
@Injectable()
export class QueueRegistry {
  private readonly queues = new Map<string, RegisteredQueue>();

  /** @internal called by the queue providers of `QueuesModule.registerQueue`. */
  add(queue: JobQueue, concurrency: number): void {
    if (this.queues.has(queue.name)) {
      throw new Error(`Queue "${queue.name}" is registered twice`);
    }
    // Every queue gets a worker, idle until `TaskWorker` starts it (QUEUES__PROCESS).
    const worker = new QueueWorker(queue.name, queue.bull);
    this.queues.set(queue.name, { queue, worker, concurrency });
  }

  get(name: string): RegisteredQueue | undefined {
    return this.queues.get(name);
  }

  list(): RegisteredQueue[] {
    return [...this.queues.values()];
  }
}
