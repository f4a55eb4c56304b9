import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, map, Observable, of } from 'rxjs';
import { ResolvedCacheOptions, RouteCacheOptions } from '../cache-options';
import { RESPONSE_STORE } from '../caching.constants';
import type { CacheAnswer, CacheOutcome, LoadResult } from '../engine/cache-types';
import { BuiltKey, keyInputsOf } from './cache-key.builder';
import { CachePolicy } from './cache-policy';
import type { CachedRoute, CacheHooks } from './cached-route';
import { entryOfResponse, markOutcome, writeEntry } from './entry-response';
import type { ResponseStore } from './response-store';

type Handler = (...args: unknown[]) => unknown;

/**
 * Response caching for routes marked `@CacheResponse()`. Hits send the stored bytes (no parse,
 * no re-stringify); misses run the handler once per key (concurrent requests wait for it).
 *
 * Subclass it and override {@link trackBy} or {@link isRequestCacheable} to change keys or rules,
 * then register the subclass with `CachingModule.forRoot({ interceptor: MyCacheInterceptor })`:
 * there is one instance per app, and both the interceptor path and the Fastify fast path (hits
 * answered before the guards) call its hooks.
 */
@Injectable()
export class HttpCacheInterceptor implements NestInterceptor, CacheHooks {
  /** @internal True when a subclass overrides a hook (the fast path then calls it). */
  readonly customHooks: boolean;

  constructor(
    protected readonly policy: CachePolicy,
    @Inject(RESPONSE_STORE) protected readonly store: ResponseStore,
  ) {
    const base = HttpCacheInterceptor.prototype;
    this.customHooks =
      this.trackBy !== base.trackBy || this.isRequestCacheable !== base.isRequestCacheable;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const route = this.policy.route(context.getHandler() as Handler, context.getClass());
    const built =
      route &&
      (this.customHooks
        ? this.lookupKey(context, route.options)
        : this.policy.defaultKey(context.switchToHttp().getRequest<FastifyRequest>(), route));
    if (!route || !built) {
      this.store.countBypass();
      this.markOutcome(context, 'BYPASS');
      return next.handle();
    }
    const { key, tags } = built;
    const local = this.store.peekFresh(key);
    if (local) {
      return of(this.respond({ outcome: 'HIT', entry: local }, context, route));
    }
    const loader = async (versions: Record<string, number>): Promise<LoadResult<unknown>> => {
      const value: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      const reply = context.switchToHttp().getResponse<FastifyReply>();
      return entryOfResponse(value, reply, route.status, route.options, versions);
    };
    const { compress, compressionThreshold, lock } = route.options;
    return from(
      this.store.getOrLoad(key, tags, { compress, compressionThreshold, lock }, loader),
    ).pipe(map((answer) => this.respond(answer, context, route)));
  }

  /** @internal The decision of both paths: the key of a request that may use the cache. */
  lookupKey(context: ExecutionContext, options: RouteCacheOptions): BuiltKey | undefined {
    return this.isRequestCacheable(context, options) ? this.trackBy(context, options) : undefined;
  }

  /**
   * The key and tags of this request, or undefined to bypass the cache. Override to key on
   * something else (e.g. a tenant); `super.trackBy` gives the default key to extend.
   */
  protected trackBy(
    context: ExecutionContext,
    options: ResolvedCacheOptions,
  ): BuiltKey | undefined {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const allowed = this.policy.allowedQuery(
      options,
      context.getHandler() as Handler,
      context.getClass(),
    );
    return this.policy.key(keyInputsOf(request, request.user?.id), options, allowed);
  }

  /**
   * Whether this request may use the cache: GET/HEAD only, caching enabled, no undeclared query
   * params, and never a shared entry for a request with credentials unless the route explicitly
   * declared `scope: 'public'`. On the fast path it runs before the guards (`request.user` unset).
   */
  protected isRequestCacheable(context: ExecutionContext, options: RouteCacheOptions): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const allowed = this.policy.allowedQuery(
      options,
      context.getHandler() as Handler,
      context.getClass(),
    );
    return this.policy.isCacheable(request, options, allowed);
  }

  /** Writes the HTTP semantics of the answer and returns the body to send. */
  private respond(answer: CacheAnswer<unknown>, context: ExecutionContext, route: CachedRoute) {
    this.markOutcome(context, answer.outcome);
    if (!answer.entry) {
      return answer.passthrough;
    }
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return writeEntry(request, reply, answer.entry, route.options, this.store);
  }

  private markOutcome(context: ExecutionContext, outcome: CacheOutcome): void {
    markOutcome(
      context.switchToHttp().getResponse<FastifyReply>(),
      outcome,
      this.policy.xCacheHeader,
    );
  }
}
