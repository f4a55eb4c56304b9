import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { authConfig } from './auth.config';
import { Principal, ROLES, Role } from './principal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Signs and verifies HS256 bearer tokens (`sub` = user id, `role` = user | admin) with the key
 * AuthModule gives the JwtService.
 */
@Injectable()
export class TokenService {
  /**
   * Tokens verified before, with when they stop being valid: clients send the same token on
   * every request, and verifying it in full (HMAC, base64, JSON) was ~12% of the CPU of a small
   * authenticated GET. Only tokens that passed every check are kept, never past their `exp`;
   * bounded, oldest first.
   */
  private readonly verified = new Map<
    string,
    { principal: Principal; validUntil: number; audience?: string }
  >();

  constructor(
    private readonly jwt: JwtService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  /**
   * Issues a token for the principal (`iat` and `exp` set; ttl at most AUTH__MAX_TOKEN_TTL_S).
   * An `audience` makes a token for that one use (e.g. a bull-board session cookie): the API
   * refuses it, and only {@link verify} with the same audience accepts it.
   */
  sign(principal: Principal, ttlSeconds = this.config.tokenTtlSeconds, audience?: string): string {
    return this.jwt.sign(
      { role: principal.role },
      // The key (a KeyObject built once from AUTH__JWT_SECRET) comes from AuthModule.
      {
        subject: principal.id,
        expiresIn: ttlSeconds,
        algorithm: 'HS256',
        ...(audience === undefined ? {} : { audience }),
      },
    );
  }

  /**
   * Verifies signature, algorithm, expiry and claims. Without `audience` (the API) a token made
   * for an audience is refused; with one, only a token made for it is accepted.
   * @throws UnauthorizedException with a reason that never echoes the token.
   */
  verify(token: string, audience?: string): Principal {
    const known = this.verified.get(token);
    if (known && known.audience === audience) {
      if (Date.now() < known.validUntil) {
        return { ...known.principal };
      }
      this.verified.delete(token);
    }
    const { principal, exp } = this.verifyInFull(token, audience);
    this.remember(token, principal, exp, audience);
    return principal;
  }

  private verifyInFull(token: string, audience?: string): { principal: Principal; exp: number } {
    let claims: { sub?: unknown; role?: unknown; exp?: unknown; iat?: unknown; aud?: unknown };
    try {
      claims = this.jwt.verify(token, {
        algorithms: ['HS256'],
        clockTolerance: this.config.clockToleranceSeconds,
      });
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? 'Token expired' : 'Invalid token');
    }
    if (claims.aud !== audience) {
      throw new UnauthorizedException(
        audience === undefined ? 'Token is not an API token' : 'Invalid token',
      );
    }
    const exp = this.checkLifetime(claims.exp, claims.iat);
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) {
      throw new UnauthorizedException('Token claim "sub" must be a user id (uuid)');
    }
    if (typeof claims.role !== 'string' || !ROLES.includes(claims.role as Role)) {
      throw new UnauthorizedException(`Token claim "role" must be one of ${ROLES.join(', ')}`);
    }
    return { principal: { id: claims.sub.toLowerCase(), role: claims.role as Role }, exp };
  }

  /**
   * A token must expire, within AUTH__MAX_TOKEN_TTL_S of when it was issued (`iat`, else now),
   * and must not be issued in the future beyond the clock tolerance: a token without `exp`
   * would work forever, and a future `iat` would stretch the lifetime check.
   * @returns `exp`, checked.
   */
  private checkLifetime(exp: unknown, iat: unknown): number {
    const { maxTokenTtlSeconds: max, clockToleranceSeconds: tolerance } = this.config;
    if (typeof exp !== 'number') {
      throw new UnauthorizedException('Token claim "exp" is required');
    }
    if (iat !== undefined && typeof iat !== 'number') {
      throw new UnauthorizedException('Token claim "iat" must be a number');
    }
    const now = Date.now() / 1000;
    if (iat !== undefined && iat > now + tolerance) {
      throw new UnauthorizedException('Token claim "iat" is in the future');
    }
    const lifetime = iat === undefined ? exp - now - tolerance : exp - iat;
    if (lifetime > max) {
      throw new UnauthorizedException(`Token lifetime must not exceed ${max} s`);
    }
    return exp;
  }

  private remember(token: string, principal: Principal, exp: number, audience?: string): void {
    const capacity = this.config.verifiedTokenCacheSize;
    if (capacity === 0) {
      return;
    }
    if (this.verified.size >= capacity) {
      // Maps iterate in insertion order: drop the oldest.
      this.verified.delete(this.verified.keys().next().value as string);
    }
    // Valid while jsonwebtoken would accept it: until exp plus the clock tolerance.
    const validUntil = (exp + this.config.clockToleranceSeconds) * 1000;
    this.verified.set(token, { principal: { ...principal }, validUntil, audience });
  }
}
