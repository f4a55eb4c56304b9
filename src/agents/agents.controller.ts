import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, Public, type Principal } from '../auth';
import { BodyLimit } from '../bootstrap';
import { CacheResponse, type CacheResponseOptions, InvalidateCache } from '../caching';
import { type CursorPage, type Page, type PageRequest, PageQuery, Paginated } from '../pagination';
import { SNAPSHOT_SIZE } from './agents-snapshot';
import { AGENTS_PAGINATION } from './agents.pagination';
import { AgentsBatchService } from './agents-batch.service';
import { MAX_BATCH_CREATE, MAX_BATCH_UPDATE } from './agents.constants';
import { AgentsService } from './agents.service';
import { BatchBodyPipe } from './batch-body.pipe';
import { AgentDetailResponseDto } from './dto/agent-detail-response.dto';
import { AgentResponseDto } from './dto/agent-response.dto';
import {
  BatchCreateAgentItemDto,
  BatchCreatedResponseDto,
  BatchUpdateAgentItemDto,
  BatchUpdatedResponseDto,
} from './dto/batch-agents.dto';
import { CreateAgentDto } from './dto/create-agent.dto';
import { UpdateAgentDto } from './dto/update-agent.dto';

/** Lists (offset, cursor, memory): the guide's 300 s under `agents_list`, dropped by any agent write. */
const AGENTS_LIST_CACHE: CacheResponseOptions = {
  ttl: 300,
  keyPrefix: 'agents_list',
  tags: ['agents'],
  invalidatedBy: ['agent_created', 'agent_updated', 'agent_deleted'],
  scope: 'public',
};

/** Agents: anyone reads them; the owner or an admin changes them. */
@ApiTags('agents')
@Controller('agents')
export class AgentsController {
  constructor(
    private readonly agents: AgentsService,
    private readonly batch: AgentsBatchService,
  ) {}

  @Public()
  @Get()
  @CacheResponse(AGENTS_LIST_CACHE)
  @ApiOperation({
    summary: 'List agents (offset pages with filters, sorting and a count strategy)',
  })
  @Paginated(AGENTS_PAGINATION, AgentResponseDto)
  @ApiBadRequestResponse({ description: 'Unknown field, operator or value, named in the message' })
  list(@PageQuery(AGENTS_PAGINATION) page: PageRequest): Promise<Page<AgentResponseDto>> {
    return this.agents.list(page);
  }

  @Public()
  @Get('cursor')
  @CacheResponse(AGENTS_LIST_CACHE)
  @ApiOperation({ summary: 'List agents by keyset cursor (constant cost at any depth)' })
  @Paginated(AGENTS_PAGINATION, AgentResponseDto, 'cursor')
  @ApiBadRequestResponse({ description: 'Bad parameter or cursor (tampered, expired, foreign)' })
  listByCursor(
    @PageQuery(AGENTS_PAGINATION, 'cursor') page: PageRequest,
  ): Promise<CursorPage<AgentResponseDto>> {
    return this.agents.listByCursor(page);
  }

  @Public()
  @Get('memory')
  @CacheResponse(AGENTS_LIST_CACHE)
  @ApiOperation({
    summary: `List the in-memory snapshot of the newest ${SNAPSHOT_SIZE} agents (refreshed every 30 s)`,
  })
  @Paginated(AGENTS_PAGINATION, AgentResponseDto)
  @ApiBadRequestResponse({ description: 'Unknown field, operator or value, named in the message' })
  listFromMemory(@PageQuery(AGENTS_PAGINATION) page: PageRequest): Promise<Page<AgentResponseDto>> {
    return this.agents.listFromMemory(page);
  }

  // The batch routes come before `:id` so `/agents/batch` is never read as an id.
  @Authenticated()
  @Post('batch')
  @InvalidateCache({ events: ['agent_created'] })
  @ApiOperation({ summary: 'Create up to 100,000 agents in one transaction' })
  @BodyLimit('batch')
  @ApiBody({ type: [BatchCreateAgentItemDto], description: `1 to ${MAX_BATCH_CREATE} agents` })
  @ApiCreatedResponse({ type: BatchCreatedResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid items, named by index; nothing was written' })
  createBatch(
    @CurrentUser() principal: Principal,
    @Body(new BatchBodyPipe(BatchCreateAgentItemDto, MAX_BATCH_CREATE))
    items: BatchCreateAgentItemDto[],
  ): Promise<BatchCreatedResponseDto> {
    return this.batch.create(principal, items);
  }

  @Authenticated()
  @Put('batch')
  // Drops every agent entry: a batch may touch any agent.
  @InvalidateCache({ tags: ['agents'] })
  @ApiOperation({ summary: 'Update up to 10,000 agents with one statement' })
  @BodyLimit('batch')
  @ApiBody({ type: [BatchUpdateAgentItemDto], description: `1 to ${MAX_BATCH_UPDATE} changes` })
  @ApiOkResponse({ type: BatchUpdatedResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid or duplicate items, named by index' })
  @ApiNotFoundResponse({ description: 'Agents not found or not yours; nothing was written' })
  updateBatch(
    @CurrentUser() principal: Principal,
    @Body(new BatchBodyPipe(BatchUpdateAgentItemDto, MAX_BATCH_UPDATE))
    items: BatchUpdateAgentItemDto[],
  ): Promise<BatchUpdatedResponseDto> {
    return this.batch.update(principal, items);
  }

  @Public()
  @Get(':id')
  @CacheResponse({ ttl: 60, keyPrefix: 'agents', tags: ['agents', 'agent:{id}'], scope: 'public' })
  @ApiOperation({ summary: 'Get an agent with its tools, workflows and owner' })
  @ApiOkResponse({ type: AgentDetailResponseDto })
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string): Promise<AgentDetailResponseDto> {
    return this.agents.get(id);
  }

  @Authenticated()
  @Post()
  @InvalidateCache({ events: ['agent_created'] })
  @ApiOperation({ summary: 'Create an agent owned by the caller' })
  @ApiCreatedResponse({ type: AgentResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid fields or unknown tool_ids, named' })
  create(
    @CurrentUser() principal: Principal,
    @Body() dto: CreateAgentDto,
  ): Promise<AgentResponseDto> {
    return this.agents.create(principal, dto);
  }

  @Authenticated()
  @Put(':id')
  @InvalidateCache({ events: ['agent_updated'], tags: ['agent:{id}'] })
  @ApiOperation({ summary: 'Update an agent (owner or admin)' })
  @ApiOkResponse({ type: AgentResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid fields or unknown tool_ids, named' })
  @ApiForbiddenResponse({ description: 'Not the owner and not an admin' })
  @ApiNotFoundResponse()
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() principal: Principal,
    @Body() dto: UpdateAgentDto,
  ): Promise<AgentResponseDto> {
    return this.agents.update(id, principal, dto);
  }

  @Authenticated()
  @Delete(':id')
  @InvalidateCache({ events: ['agent_deleted'], tags: ['agent:{id}'] })
  @ApiOperation({ summary: 'Delete an agent (owner or admin)' })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'Not the owner and not an admin' })
  @ApiNotFoundResponse()
  delete(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() principal: Principal,
  ): Promise<void> {
    return this.agents.delete(id, principal);
  }
}
