import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { authConfig } from './auth.config';
import { Principal, ROLES, Role } from './principal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BEARER = /^Bearer\s+(\S+)$/i;

/** A token that passed every check, with when it stops being valid (ms since the epoch). */
interface Accepted {
  principal: Principal;
  validUntil: number;
  audience?: string;
}

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
  private readonly verified = new Map<string, Accepted>();
  /** Each connection's last accepted `Authorization` value ({@link verifyAuthorization}). */
  private readonly lastOnConnection = new WeakMap<object, Accepted & { header: string }>();

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
    return { ...this.accepted(token, audience).principal };
  }

  /**
   * The principal of an API request's `Authorization` value (`Bearer <token>`, no audience).
   * A connection's last accepted value is remembered with its principal, until the token's expiry:
   * a client sends the same header on every request of a keep-alive connection, and the same
   * value again then costs a string comparison instead of the parse and the lookup by token
   * (~0.6 µs of a ~25 µs cached hit). A different value on the connection is checked in full and
   * replaces it. Nothing is remembered when `AUTH__VERIFIED_TOKEN_CACHE_SIZE` is 0.
   * @param connection what lives as long as the connection (the request's socket); none: no memo
   * @throws UnauthorizedException when the value is not `Bearer <token>` or the token is refused
   */
  verifyAuthorization(header: string, connection?: object): Principal {
    const last = connection === undefined ? undefined : this.lastOnConnection.get(connection);
    if (last !== undefined && last.header === header && Date.now() < last.validUntil) {
      return { ...last.principal };
    }
    const token = BEARER.exec(header)?.[1];
    if (token === undefined) {
      throw new UnauthorizedException('Authorization header must be "Bearer <token>"');
    }
    const accepted = this.accepted(token);
    if (connection !== undefined && this.config.verifiedTokenCacheSize > 0) {
      this.lastOnConnection.set(connection, { ...accepted, header });
    }
    return { ...accepted.principal };
  }

  /** The remembered entry of a token, or the token verified in full (and remembered). */
  private accepted(token: string, audience?: string): Accepted {
    const known = this.verified.get(token);
    if (known && known.audience === audience) {
      if (Date.now() < known.validUntil) {
        return known;
      }
      this.verified.delete(token);
    }
    const { principal, exp } = this.verifyInFull(token, audience);
    return this.remember(token, principal, exp, audience);
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

  /** The accepted entry of a verified token, kept while the cache has room for it. */
  private remember(token: string, principal: Principal, exp: number, audience?: string): Accepted {
    // Valid while jsonwebtoken would accept it: until exp plus the clock tolerance.
    const validUntil = (exp + this.config.clockToleranceSeconds) * 1000;
    const accepted: Accepted = { principal: { ...principal }, validUntil, audience };
    const capacity = this.config.verifiedTokenCacheSize;
    if (capacity === 0) {
      return accepted;
    }
    if (this.verified.size >= capacity) {
      // Maps iterate in insertion order: drop the oldest.
      this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(token, accepted);
    return accepted;
  }
}
