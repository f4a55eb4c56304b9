import { DynamicModule, Type } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { appConfig, performanceConfig } from '../config';
import { REQUEST_ID_HEADER, requestIdOf } from '../logging';
import { setupOpenApi } from './openapi';
import { createValidationPipe } from './validation.pipe';

function optional<T>(app: NestFastifyApplication, token: string | symbol): T | undefined {
  try {
    return app.get<T>(token);
  } catch {
    return undefined;
  }
}

/** Route config flag (`@RouteConfig({ largeBody: true })`) for routes that take batch bodies. */
export const LARGE_BODY = 'largeBody';

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /** Buffer logs until the pino logger is ready (production boot). @default true */
  bufferLogs?: boolean;
  /** Version shown in OpenAPI and /info. @default '0.0.0' */
  version?: string;
}

/**
 * Creates the Fastify-based Nest app with everything the HTTP surface needs: request ids,
 * body limits (a larger one for batch routes), validation and OpenAPI. Signals are handled by
 * `GracefulShutdown` (see main.ts); tests call `app.close()`.
 * Shared by `main.ts` and the e2e tests so both run the same app.
 */
export async function createApp(
  rootModule: Type | DynamicModule,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    genReqId: requestIdOf,
    // Decided per route in the onRoute hook below; this is only the parser's hard ceiling.
    bodyLimit: 512 * 1024 * 1024,
    return503OnClosing: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bufferLogs: options.bufferLogs ?? true,
    // Let boot errors reach the caller (main prints them; tests assert on them).
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const config = app.get<ConfigType<typeof appConfig>>(appConfig.KEY);
  // PERFORMANCE__WORKER_CONNECTIONS: connections beyond it are refused by Node at accept time.
  // (Scenario apps in tests may leave the performance namespace out.)
  const performance = optional<ConfigType<typeof performanceConfig>>(app, performanceConfig.KEY);
  if (performance) {
    app.getHttpServer().maxConnections = performance.workerConnections;
  }

  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    const routeConfig = route.config as Record<string, unknown> | undefined;
    route.bodyLimit = routeConfig?.[LARGE_BODY]
      ? config.batchBodyLimitBytes
      : config.bodyLimitBytes;
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });

  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app, options.version ?? '0.0.0');
  return app;
}
