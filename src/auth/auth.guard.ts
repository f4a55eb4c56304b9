import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.constants';
import { Role } from './principal';
import { TokenService } from './token.service';

/**
 * Global guard: every route needs a valid bearer token unless marked `@Public()`;
 * `@Roles(...)` narrows it further (401 without a valid token, 403 with the wrong role).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') {
      return true;
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) {
        throw new UnauthorizedException('Authorization header must be "Bearer <token>"');
      }
      request.user = this.tokens.verify(match[1]);
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets);
    if (!request.user) {
      if (isPublic && !roles) {
        return true;
      }
      throw new UnauthorizedException('A bearer token is required');
    }
    if (roles && !roles.includes(request.user.role)) {
      throw new ForbiddenException(`Requires role: ${roles.join(' or ')}`);
    }
    return true;
  }
}
