import { Global, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { Logger, PARAMS_PROVIDER_TOKEN, Params, PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { appConfig } from '../config';
import { AccessLog, LOG_DESTINATION, ROOT_LOGGER } from './access-log';
import { LogDestination } from './log-destination';

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
/** The longest a line waits in the batch; what is pending is written synchronously at exit. */
const LOG_FLUSH_MS = 200;

/** The process's stdout log sink (see {@link LogDestination}). */
export function createLogDestination(): LogDestination {
  return new LogDestination({
    maxBufferedBytes: MAX_BUFFERED_LOG_BYTES,
    minWriteBytes: LOG_BATCH_BYTES,
    flushMs: LOG_FLUSH_MS,
  });
}

/**
 * The process's pino logger: JSON lines to `destination` (asynchronous, batched, bounded: a
 * slow reader of stdout delays lines, not requests), credentials redacted wherever a line
 * carries them.
 */
export function createRootLogger(level: string, destination: LogDestination): pino.Logger {
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
    { provide: LOG_DESTINATION, useFactory: createLogDestination },
    {
      provide: ROOT_LOGGER,
      inject: [appConfig.KEY, LOG_DESTINATION],
      useFactory: (app: ConfigType<typeof appConfig>, destination: LogDestination) =>
        createRootLogger(app.logLevel, destination),
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
