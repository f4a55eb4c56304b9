import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { catchError, from, map, mergeMap, Observable, throwError } from 'rxjs';
import { DataSource } from 'typeorm';
import { CACHE_RESPONSE_OPTIONS } from '../../caching';
import { parseLsn } from './lsn';
import { runInReadScope, type ReadScope } from './read-scope';
import { ReplicaMonitor } from './replica-monitor';
import { WriteMarks } from './write-marks';

const LAG_TOLERANT = new Set(['GET', 'HEAD']);
/** When the write's position cannot be read: the caller and cache fills read the primary. */
const UNKNOWN_POSITION = Number.MAX_SAFE_INTEGER;

/**
 * Opens each HTTP request's read scope (GET/HEAD may read replicas; a route with
 * `@CacheResponse` fills the cache) and, once a request has written, records the primary's WAL
 * position as the caller's and the fleet's mark before the response goes out, so the caller's
 * next read, on any pod, goes to a replica only once it has replayed the write.
 */
@Injectable()
export class ReadRoutingInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly monitor: ReplicaMonitor,
    private readonly marks: WriteMarks,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (!this.monitor.enabled || context.getType() !== 'http') {
      return next.handle();
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const scope: ReadScope = {
      lagTolerant: LAG_TOLERANT.has(request.method),
      principal: request.user?.id,
      fillsCache:
        this.reflector.getAllAndOverride(CACHE_RESPONSE_OPTIONS, [
          context.getHandler(),
          context.getClass(),
        ]) !== undefined,
      wrote: false,
    };
    const recorded = () => from(scope.wrote ? this.recordWrite(scope) : Promise.resolve());
    return new Observable<unknown>((subscriber) =>
      runInReadScope(scope, () =>
        next
          .handle()
          .pipe(
            mergeMap((value: unknown) => recorded().pipe(map(() => value))),
            catchError((error: unknown) =>
              recorded().pipe(mergeMap(() => throwError(() => error))),
            ),
          )
          .subscribe(subscriber),
      ),
    );
  }

  private async recordWrite(scope: ReadScope): Promise<void> {
    const position = await this.dataSource
      .query<Array<{ lsn: string }>>('SELECT pg_current_wal_lsn()::text AS lsn')
      .then((rows) => parseLsn(rows[0]?.lsn) ?? UNKNOWN_POSITION)
      .catch(() => UNKNOWN_POSITION);
    await this.marks.record(scope.principal, position);
  }
}
