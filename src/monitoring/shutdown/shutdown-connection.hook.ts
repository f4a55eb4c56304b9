import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, onSendHookHandler } from 'fastify';
import { HttpEdge } from '../../edge';
import { ShutdownState } from '../health/lifecycle-state';

/**
 * From the shutdown signal on (the whole drain), every response carries `Connection: close`,
 * so a keep-alive client finishes its request here and opens its next connection (which the
 * load balancer, seeing readiness 503, sends elsewhere) instead of reusing a socket that is
 * about to close. The server closes the socket after the response: no race with a request.
 */
@Injectable()
export class ShutdownConnectionHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly state: ShutdownState,
    @Optional() private readonly edge?: HttpEdge,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) {
      return;
    }
    const hook: onSendHookHandler = (_request, reply, payload, done) => {
      if (this.state.shuttingDown) {
        void reply.header('Connection', 'close');
      }
      done(null, payload);
    };
    fastify.addHook('onSend', hook);
    // While draining, requests go to Fastify, which closes their connections.
    this.edge?.addStage({
      name: 'shutdown',
      covers: [hook],
      admits: () => !this.state.shuttingDown,
    });
  }
}
