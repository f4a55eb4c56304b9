import type { Reflector } from '@nestjs/core';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.constants';
import type { Role } from './principal';

/** Who may call a route, as the auth guard reads it (for code that runs before the guard). */
export interface RouteAccess {
  /** Marked `@Public()`: no token needed. */
  isPublic: boolean;
  /** Roles from `@Roles()`, if any (a role requirement always needs a token). */
  roles?: Role[];
}

/** The access rules of a route handler (method metadata overrides the class's). */
export function routeAccess(
  reflector: Reflector,
  handler: (...args: never[]) => unknown,
  controller: abstract new (...args: never[]) => unknown,
): RouteAccess {
  const targets = [handler, controller];
  return {
    isPublic: reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, targets) === true,
    roles: reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets),
  };
}
