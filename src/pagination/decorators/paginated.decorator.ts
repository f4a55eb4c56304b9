import { applyDecorators, Type, UseInterceptors } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiQuery, getSchemaPath } from '@nestjs/swagger';
import { CursorPageMetadata, OffsetPageMetadata } from '../page';
import { PageMode } from '../page-request.parser';
import { PaginationLinksInterceptor } from '../pagination-links.interceptor';
import { COUNT_STRATEGIES, SORT_ORDERS } from '../pagination.constants';
import { PaginatedResource } from '../resource-definition';

function queryDocs(resource: PaginatedResource, mode: PageMode): MethodDecorator[] {
  const fields = Object.entries(resource.fields);
  const sortable = fields.filter(([, spec]) => spec.sortable).map(([name]) => name);
  const docs: MethodDecorator[] = [
    ApiQuery({
      name: 'size',
      required: false,
      type: Number,
      description: 'Page size (capped by PAGINATION__MAX_SIZE)',
    }),
    ApiQuery({
      name: 'sort_by',
      required: false,
      enum: sortable,
      description: `Default ${resource.defaultSort.field}; the primary key always breaks ties`,
    }),
    ApiQuery({ name: 'sort_order', required: false, enum: SORT_ORDERS }),
  ];
  if (mode !== 'cursor') {
    docs.push(
      ApiQuery({
        name: 'page',
        required: false,
        type: Number,
        description: 'Page number from 1; offsets beyond PAGINATION__MAX_OFFSET are rejected',
      }),
      ApiQuery({
        name: 'count',
        required: false,
        enum: resource.allowedCounts ?? COUNT_STRATEGIES,
        description:
          `How metadata.total is computed (default ${resource.defaultCount ?? 'exact'}). ` +
          'exact is for admins: for anyone else it runs as capped (the exact total up to PAGINATION__COUNT_CAP, ' +
          'the cap with total_is_approximate above it), and metadata.count_strategy says capped.',
      }),
    );
  }
  if (mode !== 'offset') {
    docs.push(
      ApiQuery({
        name: 'cursor',
        required: false,
        type: String,
        description: 'Opaque cursor from next_cursor or prev_cursor',
      }),
    );
  }
  if (fields.some(([, spec]) => spec.searchable)) {
    const searchable = fields.filter(([, spec]) => spec.searchable).map(([name]) => name);
    docs.push(
      ApiQuery({
        name: 'search',
        required: false,
        type: String,
        description: `Case-insensitive substring match on ${searchable.join(', ')}`,
      }),
    );
  }
  for (const [name, spec] of fields) {
    if (spec.filterable?.length) {
      docs.push(
        ApiQuery({
          name: `filter[${name}]`,
          required: false,
          type: String,
          description:
            `Filter as operator:value (${spec.filterable.join(', ')}); e.g. filter[${name}]=${spec.filterable[0]}:value. ` +
            'The operator is required and ends at the first colon (the rest is the value); give each filter once. ' +
            'in/nin take a comma list, between takes low,high, is_null takes true/false; like/ilike use * as wildcard (contains when absent).' +
            (spec.values ? ` Values: ${spec.values.join(', ')}.` : ''),
        }),
      );
    }
  }
  return docs;
}

/**
 * Documents and wires a paginated list route: the query parameters from the resource's
 * allow-lists, the `{ items, metadata }` response schema, and the RFC 8288 `Link` header.
 *
 * @example
 * ```ts
 * @Get()
 * @Paginated(AGENTS_PAGINATION, AgentResponseDto)
 * list(@PageQuery(AGENTS_PAGINATION) page: PageRequest) {}
 * ```
 * @param mode `offset` (page metadata) or `cursor` (cursor metadata). @default 'offset'
 * @publicApi
 */
export function Paginated(
  resource: PaginatedResource,
  model: Type<unknown>,
  mode: PageMode = 'offset',
): MethodDecorator {
  const metadata = mode === 'cursor' ? CursorPageMetadata : OffsetPageMetadata;
  return applyDecorators(
    ApiExtraModels(model, metadata),
    ApiOkResponse({
      description: 'A page of items',
      headers: {
        Link: {
          description: 'RFC 8288 links: first, prev, next, last where known',
          schema: { type: 'string' },
        },
      },
      schema: {
        type: 'object',
        required: ['items', 'metadata'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(model) } },
          metadata: { $ref: getSchemaPath(metadata) },
        },
      },
    }),
    UseInterceptors(PaginationLinksInterceptor),
    ...queryDocs(resource, mode),
  );
}
