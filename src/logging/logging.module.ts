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

/**
 * JSON-lines logging through nestjs-pino: one request id per request (the id fastify assigned,
 * from `X-Request-Id` when safe), credentials redacted.
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
          autoLogging: {
            ignore: (req: { url?: string }) => req.url?.startsWith('/health') ?? false,
          },
          quietReqLogger: true,
        },
      }),
    }),
  ],
})
export class LoggingModule {}
