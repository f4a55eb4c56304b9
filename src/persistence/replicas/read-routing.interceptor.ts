import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { READS_FILL_CACHE } from './reads-fill-cache.decorator';
import { runInReadScope } from './read-scope';

const LAG_TOLERANT = new Set(['GET', 'HEAD']);

/** Injection token of {@link ReadRoutingOptions}. */
export const READ_ROUTING_OPTIONS = Symbol('READ_ROUTING_OPTIONS');

/** Options of `ReadRoutingModule.register`. */
export interface ReadRoutingOptions {
  /**
   * Route metadata keys that, like {@link ReadsFillCache}, mark a route whose responses are stored
   * for other requests (the response cache's `CACHE_RESPONSE_OPTIONS`).
   */
  cacheFillMarkers: readonly string[];
}

/**
 * Opens each HTTP request's read scope (registered by `ReadRoutingModule` when replicas
 * are configured): GET/HEAD may read replicas, the caller is the JWT
 * `sub`, and a route marked {@link ReadsFillCache} or with one of the options' `cacheFillMarkers`
 * (every `@CacheResponse`, as the app wires it) fills a cache. The
 * scope lives for the whole handler chain (the cache interceptor's miss included), so the read
 * router sees it.
 */
@Injectable()
export class ReadRoutingInterceptor implements NestInterceptor {
  private readonly fillMarkers: readonly string[];

  constructor(
    private readonly reflector: Reflector,
    @Inject(READ_ROUTING_OPTIONS) options: ReadRoutingOptions,
  ) {
    this.fillMarkers = [READS_FILL_CACHE, ...options.cacheFillMarkers];
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') {
      return next.handle();
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const fills = this.fillMarkers.some(
      (key) => this.reflector.getAllAndOverride<unknown>(key, targets) !== undefined,
    );
    const scope = {
      lagTolerant: LAG_TOLERANT.has(request.method),
      principal: request.user?.id,
      fillsCache: fills,
      wrote: false,
    };
    return new Observable<unknown>((subscriber) =>
      runInReadScope(scope, () => next.handle().subscribe(subscriber)),
    );
  }
}
