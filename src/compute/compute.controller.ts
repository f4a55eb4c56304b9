import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiHeader,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated, CurrentUser, type Principal, Roles } from '../auth';
import { BodyLimit } from '../bootstrap';
import { DeadTasksQuery } from './compute-query.dto';
import {
  ComputeRequestDto,
  DeadTasksResponseDto,
  TaskAcceptedResponseDto,
  TaskIdParams,
  TaskStatusResponseDto,
} from './compute.dto';
import { ComputeService } from './compute.service';
import { MAX_NUMBERS } from './compute.constants';
import { IDEMPOTENCY_KEY_MAX_LENGTH, IdempotencyKey } from './idempotency-key';

const NOT_FOUND = 'Unknown or expired task id, or not yours';

/** Heavy computations run by the queue workers; poll the task for its result. */
@ApiTags('compute')
@Authenticated()
@Controller('compute')
export class ComputeController {
  constructor(private readonly compute: ComputeService) {}

  // MAX_NUMBERS numbers of at most 25 characters (a double at full precision, and a comma),
  // plus the rest of the object: ~2.4 MiB, not the batch limit.
  @BodyLimit(MAX_NUMBERS * 25 + 1024)
  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Enqueue a heavy computation; poll Location for the result' })
  @ApiAcceptedResponse({ type: TaskAcceptedResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid input; the message names the field' })
  @ApiServiceUnavailableResponse({ description: 'Queue unavailable; see Retry-After' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      `Up to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters (letters, digits, . _ : -). Retrying with the ` +
      'same key returns the same task (in its current state) instead of enqueuing it again.',
  })
  async submit(
    @Body() dto: ComputeRequestDto,
    @CurrentUser() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<TaskAcceptedResponseDto> {
    const accepted = await this.compute.submit(dto, principal, idempotencyKey);
    void reply.header('Location', `/compute/${accepted.task_id}`);
    return accepted;
  }

  @Get('dead')
  @Roles('admin')
  @ApiOperation({ summary: 'Tasks that failed every attempt (the dead list), newest first' })
  @ApiOkResponse({ type: DeadTasksResponseDto })
  dead(@Query() query: DeadTasksQuery): Promise<DeadTasksResponseDto> {
    return this.compute.dead(query.offset, query.limit);
  }

  @Get(':task_id')
  @ApiOperation({ summary: "A task's status, progress and result" })
  @ApiOkResponse({ type: TaskStatusResponseDto })
  @ApiBadRequestResponse({ description: 'task_id is not a uuid' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  status(
    @Param() { task_id }: TaskIdParams,
    @CurrentUser() principal: Principal,
  ): Promise<TaskStatusResponseDto> {
    return this.compute.status(task_id, principal);
  }

  @Post(':task_id/retry')
  @HttpCode(202)
  @Roles('admin')
  @ApiOperation({ summary: 'Run a failed task again with fresh attempts' })
  @ApiAcceptedResponse({ type: TaskStatusResponseDto })
  @ApiNotFoundResponse({ description: 'Unknown or expired task id' })
  @ApiConflictResponse({ description: 'The task is not in the dead list' })
  retry(@Param() { task_id }: TaskIdParams): Promise<TaskStatusResponseDto> {
    return this.compute.retry(task_id);
  }
}
