import { registerAs } from '@nestjs/config';
import { Equals, ValidateIf } from 'class-validator';
import { EnvBoolean, EnvInt, EnvOneOf } from './env.decorators';
import { EnvValidationError } from './env-validation.error';
import { EnvOriginList, parseOriginList } from './origin-list.validator';
import { validateEnv } from './validate-env';

const NODE_ENVS = ['development', 'production', 'test'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Env keys of the HTTP process itself. */
export class AppEnv {
  /**
   * `production` turns on production checks: development, test and placeholder secrets are
   * refused, and /metrics needs MONITORING__METRICS_TOKEN unless MONITORING__METRICS_PUBLIC=true.
   */
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

  /** Largest request body of routes that declare no `@BodyLimit`, in MiB. */
  @EnvInt(1, 64)
  HTTP__BODY_LIMIT_MB = 1;

  /**
   * Largest request body of batch routes (`@BodyLimit('batch')`: `POST|PUT /agents/batch`), in MiB.
   * 16 MiB holds 100,000 agents of ~160 bytes; a larger body is refused (413) from its
   * Content-Length before a byte of it is read.
   */
  @EnvInt(1, 512)
  HTTP__BATCH_BODY_LIMIT_MB = 16;

  /** Deepest nesting of arrays and objects a JSON body may have; deeper is a 400. */
  @EnvInt(2, 1000)
  HTTP__JSON_MAX_DEPTH = 64;

  /** Time a client gets to send the request headers; then the connection is closed (408). */
  @EnvInt(100, 600000)
  HTTP__HEADERS_TIMEOUT_MS = 10000;

  /**
   * Time a client gets to send the whole request, headers and body; then the connection is
   * closed (408). Bounds slow or stalled uploads before authentication runs. Not the time the
   * handler may take.
   */
  @EnvInt(100, 3600000)
  HTTP__REQUEST_TIMEOUT_MS = 30000;

  /** Time an idle keep-alive connection stays open; above the load balancer's idle timeout. */
  @EnvInt(100, 3600000)
  HTTP__KEEP_ALIVE_TIMEOUT_MS = 72000;

  /**
   * Browser origins allowed to call the API cross-origin (CORS): a comma list of exact origins
   * (`https://app.example.com`), or `*` for any. Empty = CORS off: no `Access-Control-Allow-*`
   * header, so browsers refuse cross-origin reads (server-to-server clients are unaffected).
   */
  @EnvOriginList()
  HTTP__CORS_ORIGINS = '';

  /** Let allowed origins send cookies and read responses with credentials. Not with `*`. */
  @EnvBoolean()
  // Browsers reject `Access-Control-Allow-Origin: *` on a request with credentials.
  @ValidateIf((env: AppEnv) => parseOriginList(String(env.HTTP__CORS_ORIGINS)).includes('*'))
  @Equals(false, { message: '$property must be false when HTTP__CORS_ORIGINS is *' })
  HTTP__CORS_CREDENTIALS = false;

  /** How long a browser may cache a preflight answer (`Access-Control-Max-Age`), in seconds. */
  @EnvInt(0, 86400)
  HTTP__CORS_MAX_AGE_S = 600;

  /**
   * `Strict-Transport-Security` max-age, in seconds (browsers honour it over HTTPS only).
   * 0 = no header, for a deployment that cannot promise HTTPS on this host and its subdomains.
   */
  @EnvInt(0, 63072000)
  HTTP__HSTS_MAX_AGE_S = 31536000;

  /**
   * Proxies in front of the app (an ingress, a load balancer) whose `X-Forwarded-For` entry is
   * trusted: the client IP (rate limits, logs) is taken that many hops from the right. 0 = the
   * socket's peer address, the only safe value when clients can reach the app directly.
   */
  @EnvInt(0, 10)
  HTTP__TRUST_PROXY_HOPS = 0;
}

/** Typed `app` namespace. */
export const appConfig = registerAs('app', () => {
  const env = validateEnv(AppEnv, process.env);
  if (env.HTTP__HEADERS_TIMEOUT_MS > env.HTTP__REQUEST_TIMEOUT_MS) {
    // Node refuses a headers timeout above the request timeout.
    throw new EnvValidationError([
      'HTTP__HEADERS_TIMEOUT_MS: must not be greater than HTTP__REQUEST_TIMEOUT_MS',
    ]);
  }
  return {
    env: env.NODE_ENV,
    isProduction: env.NODE_ENV === 'production',
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: env.HTTP__BODY_LIMIT_MB * 1024 * 1024,
    batchBodyLimitBytes: env.HTTP__BATCH_BODY_LIMIT_MB * 1024 * 1024,
    jsonMaxDepth: env.HTTP__JSON_MAX_DEPTH,
    headersTimeoutMs: env.HTTP__HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.HTTP__REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: env.HTTP__KEEP_ALIVE_TIMEOUT_MS,
    cors: {
      origins: parseOriginList(env.HTTP__CORS_ORIGINS),
      credentials: env.HTTP__CORS_CREDENTIALS,
      maxAgeSeconds: env.HTTP__CORS_MAX_AGE_S,
    },
    hstsMaxAgeSeconds: env.HTTP__HSTS_MAX_AGE_S,
    trustProxyHops: env.HTTP__TRUST_PROXY_HOPS,
  };
});
