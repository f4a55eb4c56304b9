import { registerAs } from '@nestjs/config';
import { EnvInt, EnvOneOf } from './env.decorators';
import { validateEnv } from './validate-env';

const NODE_ENVS = ['development', 'production', 'test'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Env keys of the HTTP process itself. */
export class AppEnv {
  /** `production` turns on production checks (e.g. warnings for open /metrics). */
  @EnvOneOf(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  /** HTTP port. */
  @EnvInt(0, 65535)
  PORT = 3000;

  /** Address the HTTP server binds to. */
  @EnvOneOf(['0.0.0.0', '127.0.0.1', '::', '::1'])
  HOST = '0.0.0.0';

  /** Minimum level of the JSON log lines. */
  @EnvOneOf(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Largest request body accepted by ordinary routes, in MiB. */
  @EnvInt(1, 64)
  HTTP__BODY_LIMIT_MB = 1;

  /** Largest request body accepted by batch routes (`POST|PUT /agents/batch`), in MiB. */
  @EnvInt(1, 512)
  HTTP__BATCH_BODY_LIMIT_MB = 32;
}

/** Typed `app` namespace. */
export const appConfig = registerAs('app', () => {
  const env = validateEnv(AppEnv, process.env);
  return {
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: env.HTTP__BODY_LIMIT_MB * 1024 * 1024,
    batchBodyLimitBytes: env.HTTP__BATCH_BODY_LIMIT_MB * 1024 * 1024,
  };
});
