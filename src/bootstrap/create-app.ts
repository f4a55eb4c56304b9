import { DynamicModule, Type } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { onRequestHookHandler } from 'fastify';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { appConfig, performanceConfig, readPackageInfo } from '../config';
import { HttpEdge } from '../edge';
import { REQUEST_ID_HEADER, requestIdOf } from '../logging';
import { ManagementServer } from '../monitoring';
import { BOARD_PATH } from '../queues';
import { installFastAsyncResourceBind } from './async-resource-bind';
import { BODY_LIMIT, BodyLimitValue } from './body-limit.decorator';
import { enableCors, registerSecurityHeaders } from './http-security';
import { applyHttpTimeouts } from './http-timeouts';
import { registerJsonBodyParser } from './json-body.parser';
import { registerLingeringClose } from './lingering-close';
import { registerLoadShedding } from './load-shedding';
import { DOCS_PATH, setupOpenApi } from './openapi';
import { createValidationPipe } from './validation.pipe';

function optional<T>(app: NestFastifyApplication, token: string | symbol | Type<T>): T | undefined {
  try {
    return app.get<T>(token);
  } catch {
    return undefined;
  }
}

/** How long a refused upload is read and dropped so its client can read the refusal. */
const LINGER_MS = 2000;

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /** Buffer logs until the pino logger is ready (production boot). @default true */
  bufferLogs?: boolean;
  /** Version shown in OpenAPI. @default the version in package.json */
  version?: string;
}

/**
 * Creates the Fastify-based Nest app with everything the HTTP surface needs: request ids,
 * JSON-only bodies (415 otherwise) with a depth limit, per-route body limits (`@BodyLimit`),
 * request/header timeouts, security headers (helmet), CORS from config, validation and OpenAPI. Signals are handled by
 * `GracefulShutdown` (see main.ts); tests call `app.close()`.
 * Shared by `main.ts` and the e2e tests so both run the same app.
 */
export async function createApp(
  rootModule: Type | DynamicModule,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  // Before Nest builds its interceptor chains (see installFastAsyncResourceBind).
  installFastAsyncResourceBind();
  // Read before the app exists: Fastify takes trustProxy only at construction. (The root module's
  // forRoot() has loaded and validated the environment by now.)
  const { trustProxyHops } = appConfig();
  const adapter = new FastifyAdapter({
    genReqId: requestIdOf,
    // Decided per route in the onRoute hook below; this is only the parser's hard ceiling.
    bodyLimit: 512 * 1024 * 1024,
    return503OnClosing: false,
    trustProxy: trustProxyHops > 0 ? trustProxyHops : false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bufferLogs: options.bufferLogs ?? true,
    // Let boot errors reach the caller (main prints them; tests assert on them).
    abortOnError: false,
    // Nest's parsers (JSON and form bodies) are replaced by registerJsonBodyParser below.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // Each hook below has its HTTP edge stage (see HttpEdge), so cached hits answered in front of
  // Fastify get the same headers and refusals.
  const edge = optional<HttpEdge>(app, HttpEdge);
  edge?.trustProxyHops(trustProxyHops);
  // First, before any plugin scope exists, so operator routes 404 on the public port (and the
  // API on the management port) ahead of every other hook, bull-board's auth included.
  const byPort = optional<ManagementServer>(app, ManagementServer)?.routeByPort(
    app.getHttpAdapter().getInstance(),
  );
  // The edge answers only the public port's requests, where this hook lets API routes through.
  edge?.addStage({ name: 'management port routing', covers: byPort ? [byPort] : [] });
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  // PERFORMANCE__WORKER_CONNECTIONS: connections beyond it are refused by Node at accept time.
  // (Scenario apps in tests may leave the performance namespace out.)
  const performance = optional<ConfigType<typeof performanceConfig>>(app, performanceConfig.KEY);
  if (performance) {
    app.getHttpServer().maxConnections = performance.workerConnections;
  }
  applyHttpTimeouts(app.getHttpServer(), config);

  registerSecurityHeaders(app, config, [DOCS_PATH, BOARD_PATH], edge);
  enableCors(app, config, edge);

  const fastify = app.getHttpAdapter().getInstance();
  if (performance) {
    await registerLoadShedding(fastify, performance.shedding, edge);
  }
  registerJsonBodyParser(fastify, { maxDepth: config.jsonMaxDepth });
  // The edge answers no request with a body.
  edge?.addStage({
    name: 'lingering close',
    covers: [registerLingeringClose(fastify, LINGER_MS)],
  });
  fastify.addHook('onRoute', (route) => {
    const declared = (route.config as Record<string, unknown> | undefined)?.[BODY_LIMIT] as
      BodyLimitValue | undefined;
    route.bodyLimit =
      declared === 'batch' ? config.batchBodyLimitBytes : (declared ?? config.bodyLimitBytes);
  });
  const requestId: onRequestHookHandler = (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  };
  fastify.addHook('onRequest', requestId);
  edge?.addStage({
    name: 'request id',
    covers: [requestId],
    enter(exchange) {
      exchange.id = requestIdOf(exchange.request);
      exchange.header(REQUEST_ID_HEADER, exchange.id);
      return undefined;
    },
  });

  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app, options.version ?? readPackageInfo().version);
  return app;
}
