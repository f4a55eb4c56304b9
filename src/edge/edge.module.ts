import { Global, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { HttpEdge } from './http-edge';

/**
 * The HTTP edge ({@link HttpEdge}): one per app, global, so every module with a request hook can
 * add its stage. Made when the app is created, before any module adds a hook, so the hooks the
 * Fastify instance has then (Nest's adapter's own) are told apart from the modules'.
 */
@Global()
@Module({
  providers: [
    {
      provide: HttpEdge,
      inject: [HttpAdapterHost],
      useFactory: (host: HttpAdapterHost): HttpEdge => {
        const edge = new HttpEdge();
        const fastify = host.httpAdapter?.getInstance<FastifyInstance>();
        if (fastify) {
          edge.attach(fastify);
        }
        return edge;
      },
    },
  ],
  exports: [HttpEdge],
})
export class EdgeModule {}
