import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsUUID, Max, Min } from 'class-validator';
import { IsNumberArray } from '../bootstrap';
import { JOB_STATES, type JobInfo, type JobState } from '../queues';
import { MAX_ABS_VALUE, MAX_ITERATIONS, MAX_NUMBERS } from './compute.constants';

/** Body of `POST /compute`: the input of `heavy_computation`. */
export class ComputeRequestDto {
  @ApiProperty({
    type: [Number],
    minItems: 1,
    maxItems: MAX_NUMBERS,
    description: `Finite numbers within ±${MAX_ABS_VALUE}`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_NUMBERS)
  // One loop over the array, not three class-validator rules per element (0.3 s at 100k).
  @IsNumberArray(-MAX_ABS_VALUE, MAX_ABS_VALUE)
  numbers: number[];

  @ApiProperty({ minimum: 1, maximum: MAX_ITERATIONS, description: 'Rounds of the SHA-256 chain' })
  @IsInt()
  @Min(1)
  @Max(MAX_ITERATIONS)
  iterations: number;
}

/** Path parameters of `/compute/{task_id}`. */
export class TaskIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  task_id: string;
}

/** Answer of `POST /compute` (202). */
export class TaskAcceptedResponseDto {
  @ApiProperty({ format: 'uuid' })
  task_id: string;

  /** `queued` for a new task; a replayed `Idempotency-Key` gives the existing task's state. */
  @ApiProperty({ enum: JOB_STATES })
  status: JobState;
}

/** A task's state and, once done, its result or error. */
export class TaskStatusResponseDto {
  @ApiProperty({ format: 'uuid' })
  task_id: string;

  @ApiProperty({ enum: JOB_STATES })
  status: JobState;

  @ApiProperty({ minimum: 0, maximum: 100 })
  progress: number;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  result: Record<string, unknown> | null;

  @ApiProperty({ type: String, nullable: true, description: 'Reason of the last failed attempt' })
  error: string | null;

  @ApiProperty({
    description:
      'Runs started so far: 1 after a first run, +1 per failed run and per run whose worker died',
  })
  attempts: number;

  @ApiProperty({
    description: 'Runs that may fail before the task fails for good (a worker death uses none)',
  })
  max_attempts: number;

  @ApiProperty({ format: 'date-time' })
  created_at: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finished_at: string | null;
}

/** Body of `GET /compute/dead`. */
export class DeadTasksResponseDto {
  @ApiProperty({ type: [TaskStatusResponseDto] })
  items: TaskStatusResponseDto[];

  @ApiProperty({ description: 'Failed tasks in the dead list' })
  total: number;
}

/** Maps a job to its wire form. */
export function toTaskStatusResponse(job: JobInfo): TaskStatusResponseDto {
  return {
    task_id: job.id,
    status: job.state,
    progress: job.progress,
    result: (job.result as Record<string, unknown> | null) ?? null,
    error: job.error,
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    created_at: job.createdAt.toISOString(),
    finished_at: job.finishedAt?.toISOString() ?? null,
  };
}
