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
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Public, Roles } from '../auth';
import { InvalidateCache } from '../caching';
import { type JsonPage, type PageRequest, PageQuery, Paginated } from '../pagination';
import { CreateToolDto, UpdateToolDto } from './dto/create-tool.dto';
import { ToolResponseDto } from './dto/tool-response.dto';
import { TOOLS_PAGINATION } from './tools.pagination';
import { ToolsService } from './tools.service';

/** The tool catalogue: anyone reads it, admins curate it. */
@ApiTags('tools')
@Controller('tools')
export class ToolsController {
  constructor(private readonly tools: ToolsService) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'List tools (offset pages, by name unless sort_by says otherwise)' })
  @Paginated(TOOLS_PAGINATION, ToolResponseDto)
  @ApiBadRequestResponse({ description: 'Unknown field, operator or value, named in the message' })
  list(@PageQuery(TOOLS_PAGINATION) page: PageRequest): Promise<JsonPage<ToolResponseDto>> {
    return this.tools.list(page);
  }

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'Get a tool' })
  @ApiOkResponse({ type: ToolResponseDto })
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ToolResponseDto> {
    return this.tools.get(id);
  }

  @Roles('admin')
  @Post()
  @ApiOperation({ summary: 'Create a tool (admin)' })
  @ApiCreatedResponse({ type: ToolResponseDto })
  @ApiBadRequestResponse({ description: 'Invalid fields, named' })
  @ApiConflictResponse({ description: 'A tool with this name exists' })
  create(@Body() dto: CreateToolDto): Promise<ToolResponseDto> {
    return this.tools.create(dto);
  }

  @Roles('admin')
  @Put(':id')
  // Agent details embed their tools.
  @InvalidateCache({ tags: ['agents'] })
  @ApiOperation({ summary: 'Update a tool (admin)' })
  @ApiOkResponse({ type: ToolResponseDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'A tool with this name exists' })
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateToolDto,
  ): Promise<ToolResponseDto> {
    return this.tools.update(id, dto);
  }

  @Roles('admin')
  @Delete(':id')
  @InvalidateCache({ tags: ['agents'] })
  @ApiOperation({ summary: 'Delete a tool (admin)' })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse()
  @ApiNotFoundResponse()
  delete(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.tools.delete(id);
  }
}
