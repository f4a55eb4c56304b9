import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
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
import { CacheResponse, InvalidateCache } from '../caching';
import { type Page, type PageRequest, PageQuery, Paginated } from '../pagination';
import {
  CreateTemplateDto,
  TemplateIdParams,
  TemplateResponseDto,
  UpdateTemplateDto,
} from './template.dto';
import { TEMPLATES_PAGINATION } from './templates.pagination';
import { TemplatesService } from './templates.service';

const INVALID = 'Invalid id, query or body; the message names the field';

/** Agent templates: anyone may read, admins write. */
@ApiTags('templates')
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Public()
  @Get()
  @CacheResponse({ ttl: 3600, keyPrefix: 'templates', tags: ['templates'], scope: 'public' })
  @ApiOperation({ summary: 'List templates (offset pages, by name unless sort_by says otherwise)' })
  @Paginated(TEMPLATES_PAGINATION, TemplateResponseDto)
  @ApiBadRequestResponse({ description: 'Unknown field, operator or value, named in the message' })
  list(@PageQuery(TEMPLATES_PAGINATION) page: PageRequest): Promise<Page<TemplateResponseDto>> {
    return this.templates.list(page);
  }

  @Public()
  @Get(':id')
  @CacheResponse({ ttl: 3600, keyPrefix: 'templates', tags: ['templates'], scope: 'public' })
  @ApiOperation({ summary: 'Get a template' })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiOkResponse({ type: TemplateResponseDto })
  @ApiNotFoundResponse({ description: 'Unknown template' })
  get(@Param() { id }: TemplateIdParams): Promise<TemplateResponseDto> {
    return this.templates.get(id);
  }

  @Roles('admin')
  @Post()
  @InvalidateCache({ tags: ['templates'] })
  @ApiOperation({ summary: 'Create a template (admin)' })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiCreatedResponse({ type: TemplateResponseDto })
  @ApiConflictResponse({ description: 'A template with this name exists' })
  create(@Body() dto: CreateTemplateDto): Promise<TemplateResponseDto> {
    return this.templates.create(dto);
  }

  @Roles('admin')
  @Put(':id')
  @InvalidateCache({ tags: ['templates'] })
  @ApiOperation({ summary: 'Update a template (admin)' })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiOkResponse({ type: TemplateResponseDto })
  @ApiNotFoundResponse({ description: 'Unknown template' })
  @ApiConflictResponse({ description: 'A template with this name exists' })
  update(
    @Param() { id }: TemplateIdParams,
    @Body() dto: UpdateTemplateDto,
  ): Promise<TemplateResponseDto> {
    return this.templates.update(id, dto);
  }

  @Roles('admin')
  @Delete(':id')
  @InvalidateCache({ tags: ['templates'] })
  @ApiOperation({ summary: 'Delete a template (admin)' })
  @ApiBadRequestResponse({ description: INVALID })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: 'Unknown template' })
  delete(@Param() { id }: TemplateIdParams): Promise<void> {
    return this.templates.delete(id);
  }
}
