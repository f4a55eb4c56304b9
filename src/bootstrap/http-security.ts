import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConfigType } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { onRequestHookHandler } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { appConfig } from '../config';
import type { HttpEdge } from '../edge';
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
  'ratelimit-policy',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
];

/** Response headers set on every request, lower-cased names (Fastify's own spelling). */
export type HeaderSet = Readonly<Record<string, string>>;

/**
 * The headers helmet's middleware sets for `options`, computed once: helmet run against a
 * recording response. Every directive here is static (no nonce, no function), so the result is
 * the same for every request, and serving it costs a few header writes instead of helmet's ~24 us
 * of per-request work (`@fastify/helmet` runs the whole middleware chain on each request).
 */
export function helmetHeaders(options: HelmetOptions): HeaderSet {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  // Bad options throw here, at boot; `next` only ever gets an error from a failing directive.
  helmet(options)(
    {} as IncomingMessage,
    response as unknown as ServerResponse,
    (error?: unknown) => {
      if (error !== undefined) {
        throw error instanceof Error ? error : new Error('helmet failed to compute its headers');
      }
    },
  );
  return Object.freeze(headers);
}

/** Helmet options both header sets take from config. */
export interface SharedHelmetOptions {
  frameguard?: { action: 'deny' | 'sameorigin' };
  hsts?: false | { maxAge: number; includeSubDomains?: boolean };
}

/**
 * Helmet's options for JSON responses: the headers the OWASP REST Security Cheat Sheet lists for
 * every API response (CSP that loads and frames nothing, HSTS, `nosniff`, `X-Frame-Options`)
 * plus `Cross-Origin-Resource-Policy: same-origin` (no cross-origin embedding of a response).
 * The headers that act only on an HTML document a browser renders (COOP, Origin-Agent-Cluster,
 * Referrer-Policy, X-DNS-Prefetch-Control, X-Download-Options, X-Permitted-Cross-Domain-Policies,
 * X-XSS-Protection) are left to the pages: each header costs every response ~0.4 µs of Node's
 * header validation and ~30 bytes, for no effect on a JSON body.
 */
export function apiHelmetOptions(shared: SharedHelmetOptions): HelmetOptions {
  return {
    ...shared,
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    referrerPolicy: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  };
}

/** Whether a request URL is `prefix` itself or below it (`/docs`, `/docs/x`, `/docs?y`). */
const isUnder = (url: string, prefix: string): boolean =>
  url.startsWith(prefix) &&
  (url.length === prefix.length || url[prefix.length] === '/' || url[prefix.length] === '?');

/**
 * Sets helmet's security headers on every response (404s and errors included): the API set
 * ({@link apiHelmetOptions}) by default, helmet's full set with {@link PAGE_CSP} under
 * `pagePrefixes` (Swagger UI, bull-board). HSTS
 * per `HTTP__HSTS_MAX_AGE_S` (0 = none). Both header sets are computed at boot
 * ({@link helmetHeaders}); the `onRequest` hook only copies one. Call before any route is
 * registered (plugin scopes copy the hooks they see).
 */
export function registerSecurityHeaders(
  app: NestFastifyApplication,
  config: AppConfig,
  pagePrefixes: string[],
  edge?: HttpEdge,
): void {
  const shared: SharedHelmetOptions = {
    frameguard: { action: 'deny' },
    hsts:
      config.hstsMaxAgeSeconds > 0
        ? { maxAge: config.hstsMaxAgeSeconds, includeSubDomains: true }
        : false,
  };
  const api = helmetHeaders(apiHelmetOptions(shared));
  const page = helmetHeaders({
    ...shared,
    contentSecurityPolicy: { useDefaults: false, directives: PAGE_CSP },
  });
  // Name-value pairs: one `reply.header` call each, no `Object.keys` array per request.
  const apiPairs = Object.entries(api);
  const pagePairs = Object.entries(page);
  const pairsOf = (url: string): [string, string][] =>
    pagePrefixes.some((prefix) => isUnder(url, prefix)) ? pagePairs : apiPairs;
  const hook: onRequestHookHandler = (request, reply, done) => {
    const pairs = pairsOf(request.url);
    for (let index = 0; index < pairs.length; index++) {
      void reply.header(pairs[index][0], pairs[index][1]);
    }
    done();
  };
  app.getHttpAdapter().getInstance().addHook('onRequest', hook);
  edge?.addStage({
    name: 'security headers',
    covers: [hook],
    enter(exchange) {
      const pairs = pairsOf(exchange.request.url ?? '');
      for (let index = 0; index < pairs.length; index++) {
        exchange.header(pairs[index][0], pairs[index][1]);
      }
      return undefined;
    },
  });
}

/**
 * Enables CORS for `HTTP__CORS_ORIGINS` (exact origins, or `*`); with none configured it does
 * nothing, so no response carries `Access-Control-Allow-*` and browsers refuse cross-origin reads.
 */
export function enableCors(app: NestFastifyApplication, config: AppConfig, edge?: HttpEdge): void {
  const { origins, credentials, maxAgeSeconds } = config.cors;
  if (origins.length === 0) {
    return;
  }
  // Its headers come from Nest's adapter hook, which the edge cannot tell apart or write.
  edge?.disable('CORS is configured (HTTP__CORS_ORIGINS)');
  app.enableCors({
    origin: origins.includes('*') ? '*' : origins,
    credentials,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-None-Match', REQUEST_ID_HEADER],
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: maxAgeSeconds,
  });
}
