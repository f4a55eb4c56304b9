import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth';
import { InjectJobQueue, JobQueue } from '../queues';
import { COMPUTE_QUEUE, HEAVY_COMPUTATION } from './compute.constants';
import {
  ComputeRequestDto,
  DeadTasksResponseDto,
  TaskAcceptedResponseDto,
  TaskStatusResponseDto,
  toTaskStatusResponse,
} from './compute.dto';
import type { HeavyComputationJob } from './heavy-computation.task';
import { idempotentTaskId } from './idempotency-key';

/**
 * Compute tasks: enqueue, poll, and the dead list. A task is visible to whoever enqueued it and
 * to admins; anyone else gets 404, as for an unknown or expired id.
 */
@Injectable()
export class ComputeService {
  constructor(@InjectJobQueue(COMPUTE_QUEUE) private readonly queue: JobQueue) {}

  /**
   * Enqueues a heavy computation; its id is a random uuid, so ids cannot be guessed. With an
   * idempotency key the id is derived from the caller and the key instead: a client that retries
   * after a timeout or a 503 (when the first enqueue may still have landed) gets the same task,
   * in its current state, and the work runs once. The key is remembered as long as the task is
   * (`QUEUES__REMOVE_ON_COMPLETE_*`, `QUEUES__REMOVE_ON_FAIL_AGE_SECONDS`).
   */
  async submit(
    dto: ComputeRequestDto,
    principal: Principal,
    idempotencyKey?: string,
  ): Promise<TaskAcceptedResponseDto> {
    const data: HeavyComputationJob = {
      owner_id: principal.id,
      numbers: dto.numbers,
      iterations: dto.iterations,
    };
    if (idempotencyKey === undefined) {
      const taskId = await this.queue.enqueue(HEAVY_COMPUTATION, data, { jobId: randomUUID() });
      return { task_id: taskId, status: 'queued' };
    }
    const jobId = idempotentTaskId(principal.id, idempotencyKey);
    const existing = await this.queue.get(jobId);
    if (existing) {
      return { task_id: jobId, status: existing.state };
    }
    // Two retries racing past the check still make one job: Bull adds nothing for a known id.
    return {
      task_id: await this.queue.enqueue(HEAVY_COMPUTATION, data, { jobId }),
      status: 'queued',
    };
  }

  /** @throws NotFoundException for an unknown, expired or someone else's task. */
  async status(taskId: string, principal: Principal): Promise<TaskStatusResponseDto> {
    const job = await this.queue.get<Partial<HeavyComputationJob>>(taskId);
    if (!job || (principal.role !== 'admin' && job.data?.owner_id !== principal.id)) {
      throw new NotFoundException(`Task ${taskId} not found`);
    }
    return toTaskStatusResponse(job);
  }

  /** The failed tasks, newest first. */
  async dead(offset: number, limit: number): Promise<DeadTasksResponseDto> {
    const [jobs, total] = await Promise.all([
      this.queue.failed(offset, limit),
      this.queue.failedCount(),
    ]);
    return { items: jobs.map(toTaskStatusResponse), total };
  }

  /**
   * Runs a failed task again with fresh attempts.
   * @throws NotFoundException for an unknown id; ConflictException when it has not failed.
   */
  async retry(taskId: string): Promise<TaskStatusResponseDto> {
    const job = await this.queue.retry(taskId);
    if (job === null) {
      throw new NotFoundException(`Task ${taskId} not found`);
    }
    if (job === 'not_failed') {
      throw new ConflictException(`Task ${taskId} is not in the dead list`);
    }
    return toTaskStatusResponse(job);
  }
}
