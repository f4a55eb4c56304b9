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
  Query,
} from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
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
import { LARGE_BODY } from '../bootstrap';
import { AgentsBatchService } from './agents-batch.service';
import { MAX_BATCH_CREATE, MAX_BATCH_UPDATE } from './agents.constants';
import { AgentsService } from './agents.service';
import { BatchBodyPipe } from './batch-body.pipe';
import { AgentDetailResponseDto } from './dto/agent-detail-response.dto';
import { AgentListResponseDto, AgentResponseDto } from './dto/agent-response.dto';
import {
  BatchCreateAgentItemDto,
  BatchCreatedResponseDto,
  BatchUpdateAgentItemDto,
  BatchUpdatedResponseDto,
} from './dto/batch-agents.dto';
import { CreateAgentDto } from './dto/create-agent.dto';
import { ListAgentsQueryDto } from './dto/list-agents-query.dto';
import { UpdateAgentDto } from './dto/update-agent.dto';

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
  @ApiOperation({ summary: 'List agents, newest first' })
  @ApiOkResponse({ type: AgentListResponseDto, description: 'Newest first' })
  @ApiBadRequestResponse({ description: 'Invalid limit' })
  list(@Query() query: ListAgentsQueryDto): Promise<AgentListResponseDto> {
    return this.agents.list(query);
  }

  // The batch routes come before `:id` so `/agents/batch` is never read as an id.
  @Authenticated()
  @Post('batch')
  @ApiOperation({ summary: 'Create up to 100,000 agents in one transaction' })
  @RouteConfig({ [LARGE_BODY]: true })
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
  @ApiOperation({ summary: 'Update up to 10,000 agents with one statement' })
  @RouteConfig({ [LARGE_BODY]: true })
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
  @ApiOperation({ summary: 'Get an agent with its tools, workflows and owner' })
  @ApiOkResponse({ type: AgentDetailResponseDto })
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string): Promise<AgentDetailResponseDto> {
    return this.agents.get(id);
  }

  @Authenticated()
  @Post()
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
