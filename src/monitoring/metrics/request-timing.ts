import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { monitoringConfig } from '../monitoring.config';
import { methodLabel, routeLabel } from './http-labels';
import { HttpMetrics } from './http-metrics';

/** Response header with the request's processing time in seconds (as in the guide). */
export const PROCESS_TIME_HEADER = 'X-Process-Time';

declare module 'fastify' {
  interface FastifyRequest {
    /** @internal `process.hrtime.bigint()` when the request arrived. */
    timingStart: bigint;
    /** @internal seconds measured when the response was sent (-1 until then). */
    timingSeconds: number;
  }
}

/** Seconds since the request arrived, measured once and reused. */
function elapsedSeconds(request: FastifyRequest): number {
  if (request.timingSeconds < 0) {
    // A request rejected before onRequest (malformed URL) has no start: report 0, not uptime.
    const started = request.timingStart || process.hrtime.bigint();
    request.timingSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  }
  return request.timingSeconds;
}

/**
 * One timer per request, as Fastify hooks on the whole server (404s and errors included):
 * `onRequest` starts it, `onSend` stops it and sets `X-Process-Time`, `onResponse` feeds the
 * same value to the metrics and the slow-request log. Off when `MONITORING__ENABLED=false`.
 */
@Injectable()
export class RequestTiming implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: HttpMetrics,
    @Inject(monitoringConfig.KEY) private readonly config: ConfigType<typeof monitoringConfig>,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (this.config.enabled && fastify) {
      this.install(fastify);
    }
  }

  /** Adds the hooks; Fastify applies them to every route, whenever it was registered. */
  install(fastify: FastifyInstance): void {
    fastify.decorateRequest('timingStart', BigInt(0));
    fastify.decorateRequest('timingSeconds', -1);
    fastify.addHook('onRequest', (request, _reply, done) => {
      request.timingStart = process.hrtime.bigint();
      done();
    });
    fastify.addHook('onSend', (request, reply, payload, done) => {
      void reply.header(PROCESS_TIME_HEADER, elapsedSeconds(request).toFixed(6));
      done(null, payload);
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      this.metrics.record({
        method: methodLabel(request.method),
        route: routeLabel(request),
        statusCode: reply.statusCode,
        seconds: elapsedSeconds(request),
        requestId: request.id,
      });
      done();
    });
  }
}
