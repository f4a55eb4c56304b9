import { Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { appConfig } from '../config';
import { requestIdOf } from './request-id';

/** Paths never written to logs: credentials and session cookies. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/** The request as log lines show it (pino's serialized request, without its headers). */
interface SerializedRequest {
  id?: unknown;
  method?: string;
  url?: string;
  remoteAddress?: string;
}

/**
 * The request part of every line logged during a request: id, method, URL, client address. No
 * headers: nothing to redact on the hot path (pino serializes and redacts the request when it
 * binds the per-request logger, for every request, whatever the level: with all headers that
 * was ~15% of the CPU of `GET /compute/{id}`), and no credentials to leak if a path is missed.
 */
export function requestLogFields(req: SerializedRequest): SerializedRequest {
  return { id: req.id, method: req.method, url: req.url, remoteAddress: req.remoteAddress };
}

/** The response part of the access line: its status (the time is `responseTime`). */
export function responseLogFields(res: { statusCode?: number }): { statusCode?: number } {
  return { statusCode: res.statusCode };
}

/**
 * JSON-lines logging through nestjs-pino: one access line per request (method, URL, status,
 * time, request id: the id fastify assigned, from `X-Request-Id` when safe), the same request
 * fields on every line logged while serving it, no headers, credentials redacted wherever a
 * line carries them anyway.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [appConfig.KEY],
      useFactory: (app: ConfigType<typeof appConfig>) => ({
        pinoHttp: {
          level: app.logLevel,
          redact: { paths: REDACTED, censor: '[redacted]' },
          // fastify already assigned the id (see createApp); reuse it so both agree.
          genReqId: (req) => req.id ?? requestIdOf(req),
          serializers: { req: requestLogFields, res: responseLogFields },
          autoLogging: {
            ignore: (req: { url?: string }) => req.url?.startsWith('/health') ?? false,
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
