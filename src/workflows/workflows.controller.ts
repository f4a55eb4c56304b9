import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, type Principal } from '../auth';
import {
  CreateWorkflowDto,
  ListWorkflowsQuery,
  UpdateWorkflowDto,
  WorkflowIdParams,
} from './workflow.dto';
import { WorkflowListResponseDto, WorkflowResponseDto } from './workflow-response.dto';
import { WorkflowsService } from './workflows.service';

const INVALID = 'Invalid id, query or body; the message names the field';

/** Workflows of agents: readable by any caller, writable by the agent's owner or an admin. */
@ApiTags('workflows')
@Authenticated()
@Controller('workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Get()
  @ApiOperation({ summary: 'List workflows, newest first' })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiOkResponse({ type: WorkflowListResponseDto })
  list(@Query() query: ListWorkflowsQuery): Promise<WorkflowListResponseDto> {
    return this.workflows.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a workflow' })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiOkResponse({ type: WorkflowResponseDto })
  @ApiNotFoundResponse({ description: 'Unknown workflow' })
  get(@Param() { id }: WorkflowIdParams): Promise<WorkflowResponseDto> {
    return this.workflows.get(id);
  }

  @Post()
  @ApiOperation({ summary: 'Create a workflow on an agent you may modify' })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiCreatedResponse({ type: WorkflowResponseDto })
  @ApiNotFoundResponse({ description: 'Unknown agent' })
  @ApiForbiddenResponse({ description: 'Not the owner of the agent' })
  create(
    @Body() dto: CreateWorkflowDto,
    @CurrentUser() principal: Principal,
  ): Promise<WorkflowResponseDto> {
    return this.workflows.create(dto, principal);
  }

  @Put(':id')
  @ApiOperation({ summary: 'Update a workflow' })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiOkResponse({ type: WorkflowResponseDto })
  @ApiNotFoundResponse({ description: 'Unknown workflow' })
  @ApiForbiddenResponse({ description: 'Not the owner of the agent' })
  update(
    @Param() { id }: WorkflowIdParams,
    @Body() dto: UpdateWorkflowDto,
    @CurrentUser() principal: Principal,
  ): Promise<WorkflowResponseDto> {
    return this.workflows.update(id, dto, principal);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a workflow' })
  @ApiBadRequestResponse({ description: INVALID })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'Unknown workflow' })
  @ApiForbiddenResponse({ description: 'Not the owner of the agent' })
  delete(@Param() { id }: WorkflowIdParams, @CurrentUser() principal: Principal): Promise<void> {
    return this.workflows.delete(id, principal);
  }
}
