import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';
import { JsonPage } from './json-page';
import { CursorPageMetadata, OffsetPageMetadata } from './page';

type Metadata = Partial<OffsetPageMetadata & CursorPageMetadata>;

function link(
  path: string,
  query: URLSearchParams,
  changes: Record<string, string | null>,
  rel: string,
) {
  const next = new URLSearchParams(query);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) {
      next.delete(key);
    } else {
      next.set(key, value);
    }
  }
  const search = next.toString();
  return `<${path}${search ? `?${search}` : ''}>; rel="${rel}"`;
}

/** Builds the RFC 8288 `Link` header (first, prev, next, last where known) of a page. */
export function buildLinkHeader(url: string, metadata: Metadata): string | undefined {
  const [path, search = ''] = url.split('?');
  const query = new URLSearchParams(search);
  const links: string[] = [];
  if (metadata.page !== undefined) {
    links.push(link(path, query, { page: null }, 'first'));
    if (metadata.has_prev) {
      links.push(link(path, query, { page: String(metadata.page - 1) }, 'prev'));
    }
    if (metadata.has_next) {
      links.push(link(path, query, { page: String(metadata.page + 1) }, 'next'));
    }
    if (metadata.total_pages && !metadata.total_is_approximate) {
      links.push(link(path, query, { page: String(metadata.total_pages) }, 'last'));
    }
  } else {
    links.push(link(path, query, { cursor: null }, 'first'));
    if (metadata.prev_cursor) {
      links.push(link(path, query, { cursor: metadata.prev_cursor }, 'prev'));
    }
    if (metadata.next_cursor) {
      links.push(link(path, query, { cursor: metadata.next_cursor }, 'next'));
    }
  }
  return links.length > 0 ? links.join(', ') : undefined;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * @internal sets `Link` on responses that carry page metadata, and sends a {@link JsonPage} as
 * its JSON text (the content type Fastify gives serialized bodies), not through the serializer.
 */
@Injectable()
export class PaginationLinksInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    return next.handle().pipe(
      map((body: unknown) => {
        const metadata = (body as { metadata?: Metadata } | undefined)?.metadata;
        if (metadata) {
          const header = buildLinkHeader(http.getRequest<FastifyRequest>().url, metadata);
          if (header) {
            void http.getResponse<FastifyReply>().header('Link', header);
          }
        }
        if (body instanceof JsonPage) {
          void http.getResponse<FastifyReply>().type(JSON_TYPE);
          return body.json;
        }
        return body;
      }),
    );
  }
}
