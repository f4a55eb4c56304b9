import {
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  PipeTransform,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { CursorCodec } from './cursor-codec';
import { PageRequest } from './page-request';
import { PageMode, parsePageRequest } from './page-request.parser';
import { paginationConfig } from './pagination.config';
import { PaginatedResource } from './resource-definition';

interface PageQueryInput {
  resource: PaginatedResource;
  mode: PageMode;
  query: Record<string, string | string[] | undefined>;
}

/** @internal parses the raw query of a PageQuery parameter into a PageRequest. */
@Injectable()
export class PageRequestPipe implements PipeTransform<PageQueryInput, PageRequest> {
  constructor(
    @Inject(paginationConfig.KEY) private readonly config: ConfigType<typeof paginationConfig>,
    private readonly codec: CursorCodec,
  ) {}

  transform(input: PageQueryInput): PageRequest {
    return parsePageRequest(input.query, input.resource, this.config, this.codec, input.mode);
  }
}

const PageQueryParam = createParamDecorator(
  (data: Omit<PageQueryInput, 'query'>, ctx: ExecutionContext): PageQueryInput => ({
    ...data,
    query: ctx.switchToHttp().getRequest<FastifyRequest>().query as PageQueryInput['query'],
  }),
);

/**
 * Injects a validated {@link PageRequest} built from the query string with the resource's
 * allow-lists (400 naming the parameter for anything else).
 *
 * @example
 * ```ts
 * @Get()
 * list(@PageQuery(AGENTS_PAGINATION) page: PageRequest) {}
 * ```
 * @param resource the resource's allow-lists
 * @param mode `offset` (page/size), `cursor` (keyset) or `list` (in-memory, both). @default 'offset'
 * @publicApi
 */
export const PageQuery = (
  resource: PaginatedResource,
  mode: PageMode = 'offset',
): ParameterDecorator => PageQueryParam({ resource, mode }, PageRequestPipe);
