import { INestApplication, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { ApiProperty, ApiResponse, type ApiResponseOptions } from '@nestjs/swagger';
import { routeAccess } from '../auth';
import { isRateLimitExempt, RateLimit } from '../rate-limit';

// @nestjs/swagger's metadata keys (its package exports do not expose its constants module).
const API_RESPONSE = 'swagger/apiResponse';
const API_PARAMETERS = 'swagger/apiParameters';

/** Fastify's default `maxParamLength`, used when the adapter does not say. */
const DEFAULT_MAX_PARAM_LENGTH = 100;

/** Routes that call no database, Redis, queue or upstream, so they never answer 503. */
const DEPENDENCY_FREE_PATHS = new Set(['/info']);

const BODY_METHODS = new Set([RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH]);

/** The error body every 4xx and 5xx carries (Nest's HttpException shape). */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    description: 'What went wrong; validation messages name the field or parameter',
  })
  message: string | string[];

  @ApiProperty({ example: 'Bad Request' })
  error: string;
}

/** What a route is, as far as the statuses it can answer depend on it. */
export interface RouteFacts {
  path: string;
  method: RequestMethod;
  hasPathParams: boolean;
  hasBody: boolean;
  hasQuery: boolean;
  isPublic: boolean;
  roles?: readonly string[];
  /** Counted by the rate limiter (not a probe, a scrape or a `@RateLimit({ skip: true })` route). */
  rateLimited: boolean;
}

/**
 * The error statuses a route can answer, from what it is: input it parses (400), a path
 * parameter (404 for an unknown id, 414 over Fastify's `maxParamLength`), a body (413 over the
 * limit, 415 for a non-JSON type), a token (401), a role (403), the rate limit (429 +
 * Retry-After), a dependency (503 + Retry-After).
 */
export function errorResponsesFor(
  route: RouteFacts,
  maxParamLength = DEFAULT_MAX_PARAM_LENGTH,
): ApiResponseOptions[] {
  const error = (status: number, description: string): ApiResponseOptions => ({
    status,
    description,
    type: ErrorResponseDto,
  });
  const responses: ApiResponseOptions[] = [];
  if (route.hasPathParams || route.hasBody || route.hasQuery) {
    responses.push(
      error(400, 'Invalid path parameter, query parameter or body; the message names it'),
    );
  }
  if (!route.isPublic || route.roles) {
    responses.push(error(401, 'Missing or invalid bearer token'));
  }
  if (route.roles) {
    responses.push(error(403, `Requires role: ${route.roles.join(' or ')}`));
  }
  if (route.hasPathParams) {
    responses.push(
      error(404, 'Not found'),
      error(414, `A path parameter longer than ${maxParamLength} characters`),
    );
  }
  if (route.hasBody) {
    responses.push(
      error(413, 'Body larger than the route accepts'),
      error(415, 'Content-Type is not application/json'),
    );
  }
  const retryAfter = {
    'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
  };
  if (route.rateLimited) {
    responses.push({
      ...error(429, 'Too many requests from this user or client IP in the current window'),
      headers: retryAfter,
    });
  }
  if (!DEPENDENCY_FREE_PATHS.has(route.path)) {
    responses.push({
      ...error(
        503,
        'A dependency (database, Redis, queue or upstream) is unavailable or overloaded; retry later',
      ),
      headers: retryAfter,
    });
  }
  return responses;
}

const joinPath = (...parts: unknown[]): string =>
  `/${parts
    .flatMap((part) => (Array.isArray(part) ? [part[0] as unknown] : [part]))
    .filter((part): part is string => typeof part === 'string' && part !== '' && part !== '/')
    .map((part) => part.replace(/^\/|\/$/g, ''))
    .join('/')}`;

/**
 * Adds the error statuses of {@link errorResponsesFor} to every route handler of the app that
 * does not document them already (a route's own description of a status wins). Run it before
 * `SwaggerModule.createDocument`; running it again changes nothing.
 */
export function documentErrorResponses(app: INestApplication): void {
  const reflector = app.get(Reflector);
  const adapter = app.getHttpAdapter().getInstance() as {
    initialConfig?: { maxParamLength?: number };
  };
  const maxParamLength = adapter.initialConfig?.maxParamLength ?? DEFAULT_MAX_PARAM_LENGTH;
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | null;
      if (controller) {
        documentController(controller, reflector, maxParamLength);
      }
    }
  }
}

function documentController(
  controller: Type<unknown>,
  reflector: Reflector,
  maxParamLength: number,
) {
  const prototype = controller.prototype as Record<string, unknown>;
  const classResponses = (Reflect.getMetadata(API_RESPONSE, controller) ?? {}) as Record<
    string,
    unknown
  >;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
    const handler = descriptor?.value as ((...args: never[]) => unknown) | undefined;
    if (name === 'constructor' || typeof handler !== 'function') {
      continue;
    }
    const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
    if (method === undefined) {
      continue;
    }
    const path = joinPath(
      Reflect.getMetadata(PATH_METADATA, controller),
      Reflect.getMetadata(PATH_METADATA, handler),
    );
    const args = Object.keys(
      (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as object,
    ).map((key) => Number(key.split(':')[0]));
    const apiParams = (Reflect.getMetadata(API_PARAMETERS, handler) ?? []) as Array<{
      in?: string;
    }>;
    const access = routeAccess(reflector, handler, controller);
    const facts: RouteFacts = {
      path,
      method,
      hasPathParams: path.includes(':'),
      hasBody: BODY_METHODS.has(method) || args.includes(RouteParamtypes.BODY),
      hasQuery:
        args.includes(RouteParamtypes.QUERY) || apiParams.some((param) => param.in === 'query'),
      isPublic: access.isPublic,
      roles: access.roles,
      rateLimited:
        !isRateLimitExempt(path) &&
        !reflector.getAllAndOverride(RateLimit, [handler, controller])?.skip,
    };
    const documented = {
      ...classResponses,
      ...((Reflect.getMetadata(API_RESPONSE, handler) ?? {}) as Record<string, unknown>),
    };
    for (const response of errorResponsesFor(facts, maxParamLength)) {
      if (!(String(response.status) in documented)) {
        ApiResponse(response)(prototype, name, descriptor as PropertyDescriptor);
      }
    }
  }
}
