import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { HttpCacheInterceptor } from './http-cache.interceptor';

/**
 * @internal What `@CacheResponse` binds. Nest builds one in each module whose controllers use the
 * decorator; each hands the request to the app's one {@link HttpCacheInterceptor} (the subclass
 * named by `CachingModule.forRoot({ interceptor })`, if any), the same instance the fast path asks.
 */
@Injectable()
export class CacheResponseInterceptor implements NestInterceptor {
  constructor(private readonly interceptor: HttpCacheInterceptor) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return this.interceptor.intercept(context, next);
  }
}
