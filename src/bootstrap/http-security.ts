import helmet, { FastifyHelmetOptions } from '@fastify/helmet';
import type { ConfigType } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RouteOptions } from 'fastify';
import { appConfig } from '../config';
import { REQUEST_ID_HEADER } from '../logging';

type AppConfig = ConfigType<typeof appConfig>;

/**
 * Content-Security-Policy of every JSON response: nothing may load, nothing may frame it
 * (the OWASP REST Security recommendation for an API).
 */
export const API_CSP = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/**
 * Content-Security-Policy of the HTML pages the service serves (Swagger UI, bull-board): their
 * own scripts and styles, the inline `<style>` and `style=""` both use, data: images, bull-board's
 * Google Fonts stylesheet and fonts, `<base href>` and XHR to this origin. No inline script,
 * no eval, no plugin, no framing.
 */
export const PAGE_CSP = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:', 'https://fonts.gstatic.com'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
};

/** Response headers a cross-origin browser client may read (besides the CORS-safelisted ones). */
const EXPOSED_HEADERS = [
  REQUEST_ID_HEADER,
  'etag',
  'x-process-time',
  'x-cache',
  'link',
  'location',
  'retry-after',
  'ratelimit',
  'ratelimit-policy',
];

/**
 * Registers `@fastify/helmet` on every route: the API policy {@link API_CSP} by default and
 * {@link PAGE_CSP} on routes under `pagePrefixes` (set per route as they are added, so a route
 * registered later by a plugin gets it too). HSTS per `HTTP__HSTS_MAX_AGE_S` (0 = none).
 * Call before any route is registered.
 */
export async function registerSecurityHeaders(
  app: NestFastifyApplication,
  config: AppConfig,
  pagePrefixes: string[],
): Promise<void> {
  const options: FastifyHelmetOptions = {
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    frameguard: { action: 'deny' },
    hsts:
      config.hstsMaxAgeSeconds > 0
        ? { maxAge: config.hstsMaxAgeSeconds, includeSubDomains: true }
        : false,
  };
  const pageOptions = { contentSecurityPolicy: { useDefaults: false, directives: PAGE_CSP } };
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route: RouteOptions) => {
      if (
        pagePrefixes.some((prefix) => route.url === prefix || route.url.startsWith(`${prefix}/`))
      ) {
        // What @fastify/helmet reads per request; its own `helmet` route option needs its
        // onRoute hook to run after this one, which the registration order does not promise.
        route.config = { ...route.config, helmet: pageOptions };
      }
    });
  await app.register(helmet, options);
}

/**
 * Enables CORS for `HTTP__CORS_ORIGINS` (exact origins, or `*`); with none configured it does
 * nothing, so no response carries `Access-Control-Allow-*` and browsers refuse cross-origin reads.
 */
export function enableCors(app: NestFastifyApplication, config: AppConfig): void {
  const { origins, credentials, maxAgeSeconds } = config.cors;
  if (origins.length === 0) {
    return;
  }
  app.enableCors({
    origin: origins.includes('*') ? '*' : origins,
    credentials,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-None-Match', REQUEST_ID_HEADER],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: maxAgeSeconds,
  });
}
