import { Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { StartupState } from './lifecycle-state';

/**
 * Marks bootstrap complete when the HTTP server is ready. Fastify's `onReady` runs after Nest's
 * `init()` (every module's migrations and bootstrap hooks, in any module order), so this does not
 * depend on where MonitoringModule sits in the import graph. Without HTTP (a worker process) it
 * falls back to this module's own bootstrap hook.
 */
@Injectable()
export class StartupHook implements OnModuleInit, OnApplicationBootstrap {
  private viaHttp = false;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly startup: StartupState,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify) {
      this.viaHttp = true;
      fastify.addHook('onReady', (done) => {
        this.startup.markBootstrapped();
        done();
      });
    }
  }

  onApplicationBootstrap(): void {
    if (!this.viaHttp) {
      this.startup.markBootstrapped();
    }
  }
}
