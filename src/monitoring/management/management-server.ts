import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { createServer, IncomingMessage, Server } from 'node:http';
import { appConfig } from '../../config';
import { monitoringConfig } from '../monitoring.config';
import { ConnectionTracker } from '../shutdown/connection-tracker';
import { stopAcceptingAndDrain } from '../shutdown/http-drain';
import { routeScope } from './management-routes';

/**
 * The management port (`MONITORING__MANAGEMENT_PORT`, like Spring Boot Actuator's
 * `management.server.port`): a second `node:http` listener whose requests go into the same
 * Fastify instance (`fastify.routing`), so they pass the same hooks, guards and filters. With it
 * set, operator routes (see {@link routeScope}) answer on it only and API routes on the public
 * port only (404 on the other, as for an unknown route); the probes answer on both, with details
 * only here. Unset: no listener, every route on the public port as before.
 * Drained with the public listener at shutdown (see `GracefulShutdown.forApp`).
 */
@Injectable()
export class ManagementServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ManagementServer.name);
  /** Requests that arrived on the management listener. */
  private readonly received = new WeakSet<IncomingMessage>();
  private server?: Server;
  private connections?: ConnectionTracker;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(monitoringConfig.KEY) private readonly config: ConfigType<typeof monitoringConfig>,
    @Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>,
  ) {}

  /** Whether the ports are split. */
  get enabled(): boolean {
    return this.config.managementPort !== undefined;
  }

  /** The bound port (0 when off or not listening yet). */
  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** Whether a request may see probe details: on the management port, or anywhere when off. */
  showsDetails(request: IncomingMessage): boolean {
    return !this.enabled || this.received.has(request);
  }

  /**
   * Adds the hook that answers 404 to a route asked on the port it is not served on. Call it
   * right after the app is created (`createApp` does), before any plugin scope exists: a scope
   * copies its parent's hooks when it loads, so a hook added later would miss bull-board's and
   * run after its auth hook.
   */
  routeByPort(fastify: FastifyInstance): onRequestHookHandler | undefined {
    if (!this.enabled) {
      return undefined;
    }
    const hook: onRequestHookHandler = (request, reply, done) => {
      if (this.isElsewhere(request)) {
        reply.callNotFound();
        return;
      }
      done();
    };
    fastify.addHook('onRequest', hook);
    return hook;
  }

  async onApplicationBootstrap(): Promise<void> {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!this.enabled || !fastify) {
      return;
    }
    const server = createServer((request, response) => {
      this.received.add(request);
      fastify.routing(request, response);
    });
    server.headersTimeout = this.app.headersTimeoutMs;
    server.requestTimeout = this.app.requestTimeoutMs;
    server.keepAliveTimeout = this.app.keepAliveTimeoutMs;
    this.connections = new ConnectionTracker(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.config.managementPort, this.app.host, () => resolve());
    });
    this.server = server;
    this.logger.log({ msg: 'Management port listening', port: this.port });
  }

  /** Stops accepting and waits (at most `timeoutMs`) for open requests, as on the public port. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (!this.server || !this.connections) {
      return true;
    }
    return stopAcceptingAndDrain(this.server, this.connections, timeoutMs);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) {
      return;
    }
    await new Promise<void>((resolve) => {
      if (!server.listening) {
        resolve();
      } else {
        server.close(() => resolve());
      }
      server.closeAllConnections();
    });
  }

  /** A matched route asked on the port it is not served on (unknown routes 404 anyway). */
  private isElsewhere(request: FastifyRequest): boolean {
    const url = request.routeOptions.url;
    if (request.is404 || url === undefined) {
      return false;
    }
    const scope = routeScope(url);
    return scope !== 'probe' && (scope === 'operator') !== this.received.has(request.raw);
  }
}
