import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { mergeMap, Observable } from 'rxjs';
import { InvalidateCacheOptions } from '../cache-options';
import { INVALIDATE_CACHE_OPTIONS } from '../caching.constants';
import { ResponseCacheService } from '../response-cache.service';

/**
 * After a mutating handler succeeds, drops what `@InvalidateCache()` names (events and tags,
 * `{param}` filled from the path) before the response goes out, so the caller's next read is
 * fresh. A failed handler invalidates nothing. Redis trouble never fails the request.
 */
@Injectable()
export class CacheInvalidationInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly cache: ResponseCacheService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<InvalidateCacheOptions | undefined>(
      INVALIDATE_CACHE_OPTIONS,
      context.getHandler(),
    );
    if (!options) {
      return next.handle();
    }
    const params = (context.switchToHttp().getRequest<FastifyRequest>().params ?? {}) as Record<
      string,
      string
    >;
    const tags = [
      ...(options.tags ?? []).map((tag) =>
        tag.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? ''),
      ),
      ...(options.events ?? []).map((event) => `event:${event}`),
    ];
    return next.handle().pipe(
      mergeMap(async (result: unknown) => {
        await this.cache.invalidateTags(tags);
        return result;
      }),
    );
  }
}
