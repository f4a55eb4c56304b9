import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { RouteAccess } from './route-access';
import type { TokenService } from './token.service';

/**
 * The auth rule of every route, shared by the global guard and code that answers before it (the
 * response cache's fast path): a bearer token, when sent, must be valid and sets `request.user`;
 * without one only `@Public()` routes without `@Roles()` pass; `@Roles()` needs one of the roles.
 * @param connection the request's socket: a connection's last accepted header is remembered
 *   ({@link TokenService.verifyAuthorization})
 * @throws UnauthorizedException (401) or ForbiddenException (403), never echoing the token.
 */
export function authorize(
  tokens: TokenService,
  request: Pick<FastifyRequest, 'headers' | 'user'>,
  access: RouteAccess,
  connection?: object,
): void {
  const header = request.headers.authorization;
  if (header !== undefined) {
    request.user = tokens.verifyAuthorization(header, connection);
  }
  if (!request.user) {
    if (access.isPublic && !access.roles) {
      return;
    }
    throw new UnauthorizedException('A bearer token is required');
  }
  if (access.roles && !access.roles.includes(request.user.role)) {
    throw new ForbiddenException(`Requires role: ${access.roles.join(' or ')}`);
  }
}
