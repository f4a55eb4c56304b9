import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, map, Observable, of } from 'rxjs';
import { CacheResponseOptions, ResolvedCacheOptions } from '../cache-options';
import { CACHE_RESPONSE_OPTIONS } from '../caching.constants';
import type { CacheEngine } from '../engine/cache-engine';
import type { CacheAnswer, CacheOutcome, LoadResult } from '../engine/cache-types';
import { ResponseCacheService } from '../response-cache.service';
import { BuiltKey, keyInputsOf } from './cache-key.builder';
import { entryOfResponse, markOutcome, writeEntry } from './entry-response';
import { documentedQueryParams } from './query-allow-list';

type Resolved = ResolvedCacheOptions & { scopeExplicit: boolean };
type Handler = (...args: unknown[]) => unknown;

/**
 * Response caching for routes marked `@CacheResponse()`. Hits send the stored bytes (no parse,
 * no re-stringify); misses run the handler once per key (concurrent requests wait for it).
 * Subclass it and override {@link trackBy} or {@link isRequestCacheable} to change keys or rules.
 */
@Injectable()
export class HttpCacheInterceptor implements NestInterceptor {
  private readonly resolved = new WeakMap<Handler, Resolved>();
  /**
   * Taken from the service once: the interceptor is also built in the modules of the controllers
   * it decorates, where only the caching module's exports (the service) can be injected.
   */
  protected readonly engine: CacheEngine;

  constructor(
    protected readonly reflector: Reflector,
    protected readonly cache: ResponseCacheService,
  ) {
    this.engine = cache.engine;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.optionsOf(context);
    const http = context.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    if (!options || !this.isRequestCacheable(context, options)) {
      this.engine.countBypass();
      this.markOutcome(reply, 'BYPASS');
      return next.handle();
    }
    const built = this.trackBy(context, options);
    if (!built) {
      this.engine.countBypass();
      this.markOutcome(reply, 'BYPASS');
      return next.handle();
    }
    const { key, tags } = built;
    const local = this.engine.peekFresh(key);
    if (local) {
      return of(this.respond({ outcome: 'HIT', entry: local }, context, options));
    }
    const loader = async (versions: Record<string, number>): Promise<LoadResult<unknown>> => {
      const value: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
      return this.toEntry(value, context, options, versions);
    };
    const policy = {
      compress: options.compress,
      compressionThreshold: options.compressionThreshold,
      lock: options.lock,
    };
    return from(this.engine.getOrLoad(key, tags, policy, loader)).pipe(
      map((answer) => this.respond(answer, context, options)),
    );
  }

  /** The key and tags of this request. Override to key on something else (e.g. a tenant). */
  protected trackBy(context: ExecutionContext, options: ResolvedCacheOptions): BuiltKey {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const allowed = this.allowedQuery(context, options);
    return this.cache.keys.build(keyInputsOf(request, request.user?.id), options, allowed);
  }

  private allowedQuery(context: ExecutionContext, options: ResolvedCacheOptions) {
    return options.queryParams
      ? new Set(options.queryParams)
      : documentedQueryParams(
          context.getClass().prototype as object,
          context.getHandler() as Handler,
        );
  }

  /**
   * Whether this request may use the cache: GET/HEAD only, caching enabled, no undeclared query
   * params, and never a shared entry for a request with credentials unless the route explicitly
   * declared `scope: 'public'`.
   */
  protected isRequestCacheable(context: ExecutionContext, options: Resolved): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if ((request.method !== 'GET' && request.method !== 'HEAD') || !options.enabled) {
      return false;
    }
    if (options.strategy === 'cache_none') {
      return false;
    }
    // A param the route does not declare is not in the key, but the route's validation may
    // reject it: such a request runs the handler (never a stored 200 for a 400) and stores nothing.
    const allowed = this.allowedQuery(context, options);
    if (
      options.includeQueryParams &&
      this.cache.keys.hasUnknownParams(keyInputsOf(request), options, allowed)
    ) {
      return false;
    }
    if (options.scope === 'user') {
      return request.user !== undefined;
    }
    const hasCredentials =
      request.user !== undefined ||
      request.headers.authorization !== undefined ||
      request.headers.cookie !== undefined;
    return !hasCredentials || options.scopeExplicit;
  }

  private optionsOf(context: ExecutionContext): Resolved | undefined {
    const handler = context.getHandler() as Handler;
    const known = this.resolved.get(handler);
    if (known) {
      return known;
    }
    const raw = this.reflector.getAllAndOverride<CacheResponseOptions | undefined>(
      CACHE_RESPONSE_OPTIONS,
      [handler, context.getClass()],
    );
    if (!raw) {
      return undefined;
    }
    const options = this.cache.resolve(raw);
    this.resolved.set(handler, options);
    return options;
  }

  /** Turns the handler's result into an entry when the response may be stored. */
  private toEntry(
    value: unknown,
    context: ExecutionContext,
    options: ResolvedCacheOptions,
    versions: Record<string, number>,
  ): LoadResult<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ?? 200;
    return entryOfResponse(value, reply, status, options, versions);
  }

  /** Writes the HTTP semantics of the answer and returns the body to send. */
  private respond(
    answer: CacheAnswer<unknown>,
    context: ExecutionContext,
    options: ResolvedCacheOptions,
  ): unknown {
    const http = context.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    this.markOutcome(reply, answer.outcome);
    if (!answer.entry) {
      return answer.passthrough;
    }
    const request = http.getRequest<FastifyRequest>();
    return writeEntry(request, reply, answer.entry, options, this.engine);
  }

  private markOutcome(reply: FastifyReply, outcome: CacheOutcome): void {
    markOutcome(reply, outcome, this.cache.xCacheHeader);
  }
}
