import {
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  PipeTransform,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { PageCaller, pageCallerOf } from './count-policy';
import { CursorCodec } from './cursor-codec';
import { PageRequest } from './page-request';
import { PageMode, parsePageRequest } from './page-request.parser';
import { paginationConfig } from './pagination.config';
import { PaginatedResource } from './resource-definition';

interface PageQueryInput {
  resource: PaginatedResource;
  mode: PageMode;
  query: Record<string, string | string[] | undefined>;
  caller: PageCaller;
}

/** @internal parses the raw query of a PageQuery parameter into a PageRequest. */
@Injectable()
export class PageRequestPipe implements PipeTransform<PageQueryInput, PageRequest> {
  constructor(
    @Inject(paginationConfig.KEY) private readonly config: ConfigType<typeof paginationConfig>,
    private readonly codec: CursorCodec,
  ) {}

  transform(input: PageQueryInput): PageRequest {
    const { query, resource, mode, caller } = input;
    return parsePageRequest(query, resource, this.config, this.codec, mode, caller);
  }
}

const PageQueryParam = createParamDecorator(
  (data: Pick<PageQueryInput, 'resource' | 'mode'>, ctx: ExecutionContext): PageQueryInput => {
    const request = ctx.switchToHttp().getRequest<FastifyRequest>();
    return {
      ...data,
      query: request.query as PageQueryInput['query'],
      caller: pageCallerOf(request.user),
    };
  },
);

/**
 * Injects a validated {@link PageRequest} built from the query string with the resource's
 * allow-lists (400 naming the parameter for anything else). `count=exact` (asked, or the resource's
 * default) runs as `capped` for callers who are not admins.
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
