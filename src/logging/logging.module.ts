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
 * Lines are written to stdout in batches of this many bytes (or every {@link LOG_FLUSH_MS}): one
 * `write(2)` per request cost ~25 us of the event loop in thread-pool round trips at 7k req/s.
 */
const LOG_BATCH_BYTES = 4096;
/** The longest a line waits in the batch; pino flushes it synchronously at exit. */
const LOG_FLUSH_MS = 200;

/**
 * The process's pino logger: JSON lines to stdout through an asynchronous destination (a
 * slow reader of stdout delays lines, not requests) written in batches (at most
 * {@link LOG_FLUSH_MS} late), credentials redacted wherever a line carries them.
 */
export function createRootLogger(level: string): pino.Logger {
  const destination = pino.destination({
    dest: 1,
    sync: false,
    maxLength: MAX_BUFFERED_LOG_BYTES,
    minLength: LOG_BATCH_BYTES,
    periodicFlush: LOG_FLUSH_MS,
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
