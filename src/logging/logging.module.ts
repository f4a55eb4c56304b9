import { Global, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Logger, PARAMS_PROVIDER_TOKEN, Params, PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { appConfig } from '../config';
import { AccessLog, ROOT_LOGGER } from './access-log';

/** Paths never written to logs: credentials and session cookies. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

/**
 * Bytes of log lines held while stdout is slow; past it new lines are dropped, never blocking the
 * event loop nor growing the heap without bound.
 */
const MAX_BUFFERED_LOG_BYTES = 16 * 1024 * 1024;

/**
 * The process's pino logger: JSON lines to stdout through an asynchronous destination (a
 * slow reader of stdout delays lines, not requests), credentials redacted wherever a line
 * carries them.
 */
export function createRootLogger(level: string): pino.Logger {
  const destination = pino.destination({
    dest: 1,
    sync: false,
    maxLength: MAX_BUFFERED_LOG_BYTES,
  });
  return pino({ level, redact: { paths: REDACTED, censor: '[redacted]' } }, destination);
}

/**
 * JSON-lines logging: nestjs-pino's `Logger` and `PinoLogger` on one pino root, and the access
 * log as Fastify hooks ({@link AccessLog}) instead of nestjs-pino's Nest middleware
 * (pino-http), which cost ~18 us a request. One access line per request (method, URL, status,
 * time, request id: the id fastify assigned, from `X-Request-Id` when safe), the same request
 * fields on every line logged while serving it, no headers.
 */
@Global()
@Module({
  providers: [
    {
      provide: ROOT_LOGGER,
      inject: [appConfig.KEY],
      useFactory: (app: ConfigType<typeof appConfig>) => createRootLogger(app.logLevel),
    },
    {
      provide: PARAMS_PROVIDER_TOKEN,
      inject: [ROOT_LOGGER],
      useFactory: (root: pino.Logger): Params => ({ pinoHttp: { logger: root } }),
    },
    Logger,
    PinoLogger,
    AccessLog,
  ],
  exports: [Logger, PinoLogger, PARAMS_PROVIDER_TOKEN],
})
export class LoggingModule {}
