export { AuthModule, jwtModuleOptions } from './auth.module';
export { TokenService } from './token.service';
export { Public, Roles, Authenticated, CurrentUser } from './auth.decorators';
export { ROLES } from './principal';
export type { Principal, Role } from './principal';
export { authConfig, AuthEnv } from './auth.config';
export { routeAccess } from './route-access';
export { authorize } from './authorize';
export type { RouteAccess } from './route-access';
