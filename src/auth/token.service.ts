import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { authConfig } from './auth.config';
import { Principal, ROLES, Role } from './principal';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Signs and verifies HS256 bearer tokens (`sub` = user id, `role` = user | admin). */
@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
  ) {}

  /** Issues a token for the principal. */
  sign(principal: Principal, ttlSeconds = this.config.tokenTtlSeconds): string {
    return this.jwt.sign(
      { role: principal.role },
      {
        subject: principal.id,
        expiresIn: ttlSeconds,
        algorithm: 'HS256',
        secret: this.config.jwtSecret,
      },
    );
  }

  /**
   * Verifies signature, algorithm, expiry and claims.
   * @throws UnauthorizedException with a reason that never echoes the token.
   */
  verify(token: string): Principal {
    let claims: { sub?: unknown; role?: unknown };
    try {
      claims = this.jwt.verify(token, {
        algorithms: ['HS256'],
        secret: this.config.jwtSecret,
        clockTolerance: this.config.clockToleranceSeconds,
      });
    } catch (error) {
      const expired = error instanceof Error && error.name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? 'Token expired' : 'Invalid token');
    }
    if (typeof claims.sub !== 'string' || !UUID.test(claims.sub)) {
      throw new UnauthorizedException('Token claim "sub" must be a user id (uuid)');
    }
    if (typeof claims.role !== 'string' || !ROLES.includes(claims.role as Role)) {
      throw new UnauthorizedException(`Token claim "role" must be one of ${ROLES.join(', ')}`);
    }
    return { id: claims.sub.toLowerCase(), role: claims.role as Role };
  }
}
