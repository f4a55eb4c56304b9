import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { READS_FILL_CACHE } from './reads-fill-cache.decorator';
import { runInReadScope } from './read-scope';

const LAG_TOLERANT = new Set(['GET', 'HEAD']);

/**
 * Opens each HTTP request's read scope (registered by `ReadRoutingModule` when replicas
 * are configured): GET/HEAD may read replicas, the caller is the JWT
 * `sub`, and a route marked {@link ReadsFillCache} (every `@CacheResponse`) fills a cache. The
 * scope lives for the whole handler chain (the cache interceptor's miss included), so the read
 * router sees it.
 */
@Injectable()
export class ReadRoutingInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') {
      return next.handle();
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const fills = this.reflector.getAllAndOverride<boolean | undefined>(READS_FILL_CACHE, [
      context.getHandler(),
      context.getClass(),
    ]);
    const scope = {
      lagTolerant: LAG_TOLERANT.has(request.method),
      principal: request.user?.id,
      fillsCache: fills === true,
      wrote: false,
    };
    return new Observable<unknown>((subscriber) =>
      runInReadScope(scope, () => next.handle().subscribe(subscriber)),
    );
  }
}
