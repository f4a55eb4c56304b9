import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth';
import { InjectJobQueue, JobQueue, TaskQueue } from '../queues';
import { COMPUTE_QUEUE, HEAVY_COMPUTATION } from './compute.constants';
import {
  ComputeRequestDto,
  DeadTasksResponseDto,
  TaskAcceptedResponseDto,
  TaskStatusResponseDto,
  toTaskStatusResponse,
} from './compute.dto';
import type { HeavyComputationJob } from './heavy-computation.task';

/**
 * Compute tasks: enqueue, poll, and the dead list. A task is visible to whoever enqueued it and
 * to admins; anyone else gets 404, as for an unknown or expired id.
 */
@Injectable()
export class ComputeService {
  constructor(
    private readonly tasks: TaskQueue,
    @InjectJobQueue(COMPUTE_QUEUE) private readonly queue: JobQueue,
  ) {}

  /** Enqueues a heavy computation; its id is a uuid, so ids cannot be guessed. */
  async submit(dto: ComputeRequestDto, principal: Principal): Promise<TaskAcceptedResponseDto> {
    const data: HeavyComputationJob = {
      owner_id: principal.id,
      numbers: dto.numbers,
      iterations: dto.iterations,
    };
    const taskId = await this.tasks.enqueue(HEAVY_COMPUTATION, data, { jobId: randomUUID() });
    return { task_id: taskId, status: 'queued' };
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
