import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.constants';
import { AuthGuard } from './auth.guard';
import { jwtModuleOptions } from './auth.module';
import { Principal } from './principal';
import { TokenService } from './token.service';

const SECRET = 'unit-test-secret-0123456789abcdefghijkl';
const USER_ID = '7d3f1c52-8a8e-4c8a-9d0e-2f1f0d7c6b5a';

/**
 * A guard context for a request with these headers, on `connection` (a new one unless given: the
 * guard hands the request's socket to the token service).
 */
function contextFor(
  headers: Record<string, string>,
  meta: Record<string, unknown> = {},
  connection: object = {},
) {
  const request: {
    headers: Record<string, string>;
    user?: Principal;
    raw: { socket: object };
  } = { headers, raw: { socket: connection } };
  const handler = () => undefined;
  for (const [key, value] of Object.entries(meta)) {
    Reflect.defineMetadata(key, value, handler);
  }
  const context = {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => class Controller {},
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

/** A TokenService as AuthModule builds it (JwtService keyed by the config's secret). */
function tokenService(config: ConstructorParameters<typeof TokenService>[1]): TokenService {
  return new TokenService(new JwtService(jwtModuleOptions(config)), config);
}

describe(AuthGuard.name, () => {
  const tokens = tokenService({
    jwtSecret: SECRET,
    tokenTtlSeconds: 60,
    maxTokenTtlSeconds: 86400,
    clockToleranceSeconds: 0,
    verifiedTokenCacheSize: 100,
  });
  const sut = new AuthGuard(new Reflector(), tokens);
  const bearer = (principal: Principal) => ({ authorization: `Bearer ${tokens.sign(principal)}` });

  it('should reject a protected route without a token', () => {
    const { context } = contextFor({});
    expect(() => sut.canActivate(context)).toThrow(UnauthorizedException);
  });

  it('should let a public route through without a token', () => {
    const { context, request } = contextFor({}, { [PUBLIC_ROUTE]: true });
    expect(sut.canActivate(context)).toBe(true);
    expect(request.user).toBeUndefined();
  });

  it('should set the principal from a valid token', () => {
    const { context, request } = contextFor(bearer({ id: USER_ID, role: 'user' }));
    expect(sut.canActivate(context)).toBe(true);
    expect(request.user).toEqual({ id: USER_ID, role: 'user' });
  });

  it('should reject a token signed with another secret even on a public route', () => {
    const other = tokenService({
      jwtSecret: 'another-secret-0123456789abcdefghijklmn',
      tokenTtlSeconds: 60,
      maxTokenTtlSeconds: 86400,
      clockToleranceSeconds: 0,
      verifiedTokenCacheSize: 100,
    });
    const { context } = contextFor(
      { authorization: `Bearer ${other.sign({ id: USER_ID, role: 'admin' })}` },
      { [PUBLIC_ROUTE]: true },
    );
    expect(() => sut.canActivate(context)).toThrow(UnauthorizedException);
  });

  it('should answer 403 for the wrong role', () => {
    const { context } = contextFor(bearer({ id: USER_ID, role: 'user' }), {
      [REQUIRED_ROLES]: ['admin'],
    });
    expect(() => sut.canActivate(context)).toThrow(ForbiddenException);
  });

  it('should admit the right role', () => {
    const { context } = contextFor(bearer({ id: USER_ID, role: 'admin' }), {
      [REQUIRED_ROLES]: ['admin'],
    });
    expect(sut.canActivate(context)).toBe(true);
  });

  it('should reject a token whose sub is not a uuid', () => {
    // Signed with the secret as a plain string, as another service would: it verifies.
    const jwt = new JwtService({});
    const token = jwt.sign({ role: 'user' }, { secret: SECRET, subject: 'root', expiresIn: 60 });
    const { context } = contextFor({ authorization: `Bearer ${token}` });
    expect(() => sut.canActivate(context)).toThrow(/sub/);
  });

  it('should reject an expired token', () => {
    const expired = tokens.sign({ id: USER_ID, role: 'user' }, -10);
    const { context } = contextFor({ authorization: `Bearer ${expired}` });
    expect(() => sut.canActivate(context)).toThrow('Token expired');
  });

  it('should reject an unsigned (alg none) token', () => {
    const header = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
    const payload = Buffer.from(`{"sub":"${USER_ID}","role":"admin"}`).toString('base64url');
    const { context } = contextFor({ authorization: `Bearer ${header}.${payload}.` });
    expect(() => sut.canActivate(context)).toThrow(UnauthorizedException);
  });

  it('should check each request of a connection: a changed header after an accepted one is refused', () => {
    const connection = {};
    const good = contextFor(bearer({ id: USER_ID, role: 'user' }), {}, connection);
    expect(sut.canActivate(good.context)).toBe(true);
    expect(sut.canActivate(good.context)).toBe(true);

    const forged = `${good.request.headers.authorization.slice(0, -2)}xx`;
    const next = contextFor({ authorization: forged }, {}, connection);
    expect(() => sut.canActivate(next.context)).toThrow(UnauthorizedException);
    const malformed = contextFor({ authorization: 'Basic dXNlcjpwYXNz' }, {}, connection);
    expect(() => sut.canActivate(malformed.context)).toThrow(
      'Authorization header must be "Bearer <token>"',
    );
  });

  it('should give each request of a connection its own principal object', () => {
    const connection = {};
    const headers = bearer({ id: USER_ID, role: 'user' });
    const first = contextFor(headers, {}, connection);
    sut.canActivate(first.context);
    first.request.user!.role = 'admin';

    const second = contextFor(headers, {}, connection);
    sut.canActivate(second.context);
    expect(second.request.user).toEqual({ id: USER_ID, role: 'user' });
  });
});
