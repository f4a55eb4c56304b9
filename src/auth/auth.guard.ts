import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { authorize } from './authorize';
import { routeAccess } from './route-access';
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
    authorize(
      this.tokens,
      request,
      routeAccess(this.reflector, context.getHandler() as never, context.getClass() as never),
      request.raw.socket,
    );
    return true;
  }
}
