import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, type Principal } from '../auth';
import { type CursorPage, type Page, type PageRequest, PageQuery, Paginated } from '../pagination';
import { CreateWorkflowDto, UpdateWorkflowDto, WorkflowIdParams } from './workflow.dto';
import { WorkflowResponseDto } from './workflow-response.dto';
import { WORKFLOWS_PAGINATION } from './workflows.pagination';
import { WorkflowsService } from './workflows.service';

const INVALID = 'Invalid id, query or body; the message names the field';
const INVALID_PAGE = 'Unknown field, operator or value, or a bad cursor, named in the message';

/** The older `?agent_id=<id>`, kept as a shorthand for `filter[agent_id]=eq:<id>`. */
const AgentIdQuery = () =>
  Query(
    'agent_id',
    new ParseUUIDPipe({
      optional: true,
      exceptionFactory: () => new BadRequestException(['agent_id must be a UUID']),
    }),
  );
const AgentIdDocs = () =>
  ApiQuery({
    name: 'agent_id',
    required: false,
    deprecated: true,
    schema: { type: 'string', format: 'uuid' },
    description: 'Shorthand for filter[agent_id]=eq:<id>',
  });

/** Workflows of agents: readable by any caller, writable by the agent's owner or an admin. */
@ApiTags('workflows')
@Authenticated()
@Controller('workflows')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Get()
  @ApiOperation({
    summary:
      "List workflows, newest first (offset pages); one agent's with filter[agent_id]=eq:<id> or the older agent_id=<id>",
  })
  @Paginated(WORKFLOWS_PAGINATION, WorkflowResponseDto)
  @AgentIdDocs()
  @ApiBadRequestResponse({ description: INVALID_PAGE })
  list(
    @PageQuery(WORKFLOWS_PAGINATION) page: PageRequest,
    @AgentIdQuery() agentId?: string,
  ): Promise<Page<WorkflowResponseDto>> {
    return this.workflows.list(page, agentId);
  }

  @Get('cursor')
  @ApiOperation({
    summary:
      "List workflows by keyset cursor (constant cost at any depth); one agent's with filter[agent_id]=eq:<id> or agent_id=<id>",
  })
  @Paginated(WORKFLOWS_PAGINATION, WorkflowResponseDto, 'cursor')
  @AgentIdDocs()
  @ApiBadRequestResponse({ description: INVALID_PAGE })
  listByCursor(
    @PageQuery(WORKFLOWS_PAGINATION, 'cursor') page: PageRequest,
    @AgentIdQuery() agentId?: string,
  ): Promise<CursorPage<WorkflowResponseDto>> {
    return this.workflows.listByCursor(page, agentId);
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
