import { Inject, Injectable, OnModuleInit, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onResponseHookHandler,
  onSendHookHandler,
} from 'fastify';
import { HttpEdge } from '../../edge';
import { monitoringConfig } from '../monitoring.config';
import { routeLabel } from './http-labels';
import { HttpMetrics } from './http-metrics';

/** Response header with the request's processing time in seconds (as in the guide). */
export const PROCESS_TIME_HEADER = 'X-Process-Time';
/** Fastify stores header names lower-cased: set it so, and skip the conversion. */
const PROCESS_TIME_HEADER_NAME = PROCESS_TIME_HEADER.toLowerCase();

declare module 'fastify' {
  interface FastifyRequest {
    /** @internal seconds measured when the response was sent (-1 until then). */
    timingSeconds: number;
  }
}

/**
 * Seconds since Fastify routed the request (its own start time, taken for every request), measured
 * once and reused.
 */
function elapsedSeconds(request: FastifyRequest, reply: FastifyReply): number {
  if (request.timingSeconds < 0) {
    request.timingSeconds = reply.elapsedTime / 1000;
  }
  return request.timingSeconds;
}

/**
 * One timer per request, as Fastify hooks on the whole server (404s and errors included):
 * Fastify's own start time, `onSend` stops it and sets `X-Process-Time`, `onResponse` feeds the
 * same value to the metrics and the slow-request log. Off when `MONITORING__ENABLED=false`.
 */
@Injectable()
export class RequestTiming implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: HttpMetrics,
    @Inject(monitoringConfig.KEY) private readonly config: ConfigType<typeof monitoringConfig>,
    @Optional() private readonly edge?: HttpEdge,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (this.config.enabled && fastify) {
      this.install(fastify);
    }
  }

  /** Adds the hooks; Fastify applies them to every route, whenever it was registered. */
  install(fastify: FastifyInstance): void {
    fastify.decorateRequest('timingSeconds', -1);
    const onSend: onSendHookHandler = (request, reply, payload, done) => {
      void reply.header(PROCESS_TIME_HEADER_NAME, elapsedSeconds(request, reply).toFixed(6));
      done(null, payload);
    };
    const onResponse: onResponseHookHandler = (request, reply, done) => {
      this.metrics.record(
        request.method,
        routeLabel(request),
        reply.statusCode,
        elapsedSeconds(request, reply),
        request.id,
      );
      done();
    };
    fastify.addHook('onSend', onSend);
    fastify.addHook('onResponse', onResponse);
    this.edge?.addStage({
      name: 'request timing',
      covers: [onSend, onResponse],
      beforeWrite: (exchange) => {
        exchange.header(PROCESS_TIME_HEADER_NAME, exchange.seconds.toFixed(6));
      },
      complete: (exchange) => {
        const { request, route, statusCode, seconds, id } = exchange;
        this.metrics.record(request.method ?? 'GET', route, statusCode, seconds, id);
      },
    });
  }
}
