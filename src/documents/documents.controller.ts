import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseEnumPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, type Principal } from '../auth';
import { BodyLimit } from '../bootstrap';
import { type CursorPage, type Page, type PageRequest, PageQuery, Paginated } from '../pagination';
import {
  DOCUMENT_CONTENT_MAX_BYTES,
  DOCUMENT_STATUSES,
  type DocumentStatus,
} from './document.constants';
import { CreateDocumentDto, DocumentIdParams, UpdateDocumentDto } from './document.dto';
import { DocumentResponseDto, DocumentSummaryResponseDto } from './document-response.dto';
import { DOCUMENTS_PAGINATION } from './documents.pagination';
import { DocumentsService } from './documents.service';
import {
  BatchProcessingAcceptedResponseDto,
  ProcessDocumentsDto,
  ProcessingAcceptedResponseDto,
} from './document-processing.dto';
import { DocumentProcessingService } from './document-processing.service';

const NOT_FOUND = 'Unknown document, or not yours';
// The content at its UTF-8 maximum with room for JSON escapes (\n, \") plus the title: ~10 MiB.
const DOCUMENT_BODY_LIMIT = DOCUMENT_CONTENT_MAX_BYTES * 2 + 64 * 1024;
const INVALID = 'Invalid id, query or body; the message names the field';
const INVALID_PAGE = 'Unknown field, operator or value, or a bad cursor, named in the message';

/** The older `?status=<status>`, kept as a shorthand for `filter[status]=eq:<status>`. */
const StatusQuery = () =>
  Query(
    'status',
    new ParseEnumPipe(Object.fromEntries(DOCUMENT_STATUSES.map((status) => [status, status])), {
      optional: true,
      exceptionFactory: () =>
        new BadRequestException([`status must be one of ${DOCUMENT_STATUSES.join(', ')}`]),
    }),
  );
const StatusDocs = () =>
  ApiQuery({
    name: 'status',
    required: false,
    deprecated: true,
    enum: DOCUMENT_STATUSES,
    description: 'Shorthand for filter[status]=eq:<status>',
  });

/** The caller's private documents (an admin reaches all of them). */
@ApiTags('documents')
@Authenticated()
@Controller('documents')
export class DocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly processing: DocumentProcessingService,
  ) {}

  @Post('process')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Process several of your documents in one job (parallel when PERFORMANCE__ENABLE_PARALLEL_PROCESSING)',
  })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiAcceptedResponse({ type: BatchProcessingAcceptedResponseDto })
  processMany(
    @Body() dto: ProcessDocumentsDto,
    @CurrentUser() principal: Principal,
  ): Promise<BatchProcessingAcceptedResponseDto> {
    return this.processing.processMany(dto.ids, principal);
  }

  @Post(':id/process')
  @HttpCode(202)
  @ApiOperation({ summary: 'Chunk a document and compute its statistics in the background' })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiAcceptedResponse({ type: ProcessingAcceptedResponseDto })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  processOne(
    @Param() { id }: DocumentIdParams,
    @CurrentUser() principal: Principal,
  ): Promise<ProcessingAcceptedResponseDto> {
    return this.processing.processOne(id, principal);
  }

  @Get()
  @ApiOperation({
    summary:
      'List your documents (an admin: all), newest first, without content (offset pages; the older status=<status> still filters)',
  })
  @Paginated(DOCUMENTS_PAGINATION, DocumentSummaryResponseDto)
  @StatusDocs()
  @ApiBadRequestResponse({ description: INVALID_PAGE })
  list(
    @PageQuery(DOCUMENTS_PAGINATION) page: PageRequest,
    @CurrentUser() principal: Principal,
    @StatusQuery() status?: DocumentStatus,
  ): Promise<Page<DocumentSummaryResponseDto>> {
    return this.documents.list(page, principal, status);
  }

  @Get('cursor')
  @ApiOperation({
    summary:
      'List your documents (an admin: all) by keyset cursor, without content (constant cost at any depth)',
  })
  @Paginated(DOCUMENTS_PAGINATION, DocumentSummaryResponseDto, 'cursor')
  @StatusDocs()
  @ApiBadRequestResponse({ description: INVALID_PAGE })
  listByCursor(
    @PageQuery(DOCUMENTS_PAGINATION, 'cursor') page: PageRequest,
    @CurrentUser() principal: Principal,
    @StatusQuery() status?: DocumentStatus,
  ): Promise<CursorPage<DocumentSummaryResponseDto>> {
    return this.documents.listByCursor(page, principal, status);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a document with its content' })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiOkResponse({ type: DocumentResponseDto })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  get(
    @Param() { id }: DocumentIdParams,
    @CurrentUser() principal: Principal,
  ): Promise<DocumentResponseDto> {
    return this.documents.get(id, principal);
  }

  @BodyLimit(DOCUMENT_BODY_LIMIT)
  @Post()
  @ApiOperation({ summary: 'Upload a document' })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiCreatedResponse({ type: DocumentResponseDto })
  @ApiPayloadTooLargeResponse({ description: 'Body above ~10 MiB (content over 5 MiB)' })
  create(
    @Body() dto: CreateDocumentDto,
    @CurrentUser() principal: Principal,
  ): Promise<DocumentResponseDto> {
    return this.documents.create(dto, principal);
  }

  @BodyLimit(DOCUMENT_BODY_LIMIT)
  @Put(':id')
  @ApiOperation({ summary: 'Edit a document' })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiOkResponse({ type: DocumentResponseDto })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiPayloadTooLargeResponse({ description: 'Body above ~10 MiB (content over 5 MiB)' })
  update(
    @Param() { id }: DocumentIdParams,
    @Body() dto: UpdateDocumentDto,
    @CurrentUser() principal: Principal,
  ): Promise<DocumentResponseDto> {
    return this.documents.update(id, dto, principal);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a document' })
  @ApiBadRequestResponse({ description: INVALID })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  delete(@Param() { id }: DocumentIdParams, @CurrentUser() principal: Principal): Promise<void> {
    return this.documents.delete(id, principal);
  }
}
