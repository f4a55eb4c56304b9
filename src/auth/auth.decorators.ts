import {
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  SetMetadata,
} from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.constants';
import { Role } from './principal';

/**
 * Marks a route (or controller) as reachable without a token. A valid token, if sent, still
 * sets the principal; an invalid one is still rejected.
 *
 * @example
 * ```ts
 * @Public()
 * @Get('templates')
 * list() {}
 * ```
 * @publicApi
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Restricts a route to callers whose token carries one of the roles (implies authentication).
 *
 * @example
 * ```ts
 * @Roles('admin')
 * @Post('cache/invalidate')
 * invalidate() {}
 * ```
 * @publicApi
 */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(REQUIRED_ROLES, roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token' }),
    ApiForbiddenResponse({ description: `Requires role: ${roles.join(' or ')}` }),
  );

/**
 * Documents a route as requiring a bearer token (every route not marked `@Public()` does).
 * @publicApi
 */
export const Authenticated = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token' }),
  );

/**
 * Injects the authenticated principal (`undefined` on a public route called without a token).
 * @publicApi
 */
export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<FastifyRequest>().user,
);
