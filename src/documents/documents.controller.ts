import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, type Principal } from '../auth';
import { LARGE_BODY } from '../bootstrap';
import {
  CreateDocumentDto,
  DocumentIdParams,
  ListDocumentsQuery,
  UpdateDocumentDto,
} from './document.dto';
import { DocumentListResponseDto, DocumentResponseDto } from './document-response.dto';
import { DocumentsService } from './documents.service';

const NOT_FOUND = 'Unknown document, or not yours';
const INVALID = 'Invalid id, query or body; the message names the field';

/** The caller's private documents (an admin reaches all of them). */
@ApiTags('documents')
@Authenticated()
@Controller('documents')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get()
  @ApiOperation({ summary: 'List your documents, newest first' })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiOkResponse({ type: DocumentListResponseDto })
  list(
    @Query() query: ListDocumentsQuery,
    @CurrentUser() principal: Principal,
  ): Promise<DocumentListResponseDto> {
    return this.documents.list(query, principal);
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

  // Content may be up to 5 MiB, above the default body limit.
  @RouteConfig({ [LARGE_BODY]: true })
  @Post()
  @ApiOperation({ summary: 'Upload a document' })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiCreatedResponse({ type: DocumentResponseDto })
  @ApiPayloadTooLargeResponse({ description: 'Body above the batch body limit' })
  create(
    @Body() dto: CreateDocumentDto,
    @CurrentUser() principal: Principal,
  ): Promise<DocumentResponseDto> {
    return this.documents.create(dto, principal);
  }

  @RouteConfig({ [LARGE_BODY]: true })
  @Put(':id')
  @ApiOperation({ summary: 'Edit a document' })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiOkResponse({ type: DocumentResponseDto })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiPayloadTooLargeResponse({ description: 'Body above the batch body limit' })
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
