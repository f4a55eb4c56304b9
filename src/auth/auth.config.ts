import { registerAs } from '@nestjs/config';
import { IsString, MinLength, ValidateBy, ValidationArguments } from 'class-validator';
import { EnvInt, ProductionSecret, validateEnv } from '../config';

/** The key must not be greater than `other`. */
function AtMostKey(other: string): PropertyDecorator {
  return ValidateBy({
    name: 'atMostKey',
    validator: {
      validate: (value: unknown, args: ValidationArguments) => {
        const bound = (args.object as Record<string, unknown>)[other];
        return typeof value === 'number' && (typeof bound !== 'number' || value <= bound);
      },
      defaultMessage: () => `$property must not be greater than ${other}`,
    },
  });
}

/** Env keys of bearer-token authentication. */
export class AuthEnv {
  /**
   * HS256 secret for bearer JWTs. Required; at least 32 characters; in production not a
   * development, test or placeholder value (see `ProductionSecret`).
   */
  @IsString()
  @MinLength(32)
  @ProductionSecret()
  AUTH__JWT_SECRET: string;

  /** Lifetime of tokens printed by `npm run token`, in seconds. */
  @EnvInt(60, 31536000)
  @AtMostKey('AUTH__MAX_TOKEN_TTL_S')
  AUTH__TOKEN_TTL_SECONDS = 3600;

  /**
   * Longest lifetime a token may declare (`exp - iat`, or `exp - now` without `iat`), in
   * seconds; longer-lived tokens are 401. Tokens cannot be revoked, so this bounds how long a
   * leaked one works.
   */
  @EnvInt(60, 31536000)
  AUTH__MAX_TOKEN_TTL_S = 86400;

  /** Clock skew tolerated when checking `exp`, `nbf` and `iat`, in seconds. */
  @EnvInt(0, 300)
  AUTH__CLOCK_TOLERANCE_SECONDS = 5;

  /**
   * Verified tokens remembered until they expire, so a client's next request with the same token
   * skips the HMAC and claim parsing (and a connection's repeated `Authorization` value the parse
   * and lookup too); 0 verifies every request in full.
   */
  @EnvInt(0, 1_000_000)
  AUTH__VERIFIED_TOKEN_CACHE_SIZE = 10000;
}

/** Typed `auth` namespace. */
export const authConfig = registerAs('auth', () => {
  const env = validateEnv(AuthEnv, process.env);
  return {
    jwtSecret: env.AUTH__JWT_SECRET,
    tokenTtlSeconds: env.AUTH__TOKEN_TTL_SECONDS,
    maxTokenTtlSeconds: env.AUTH__MAX_TOKEN_TTL_S,
    clockToleranceSeconds: env.AUTH__CLOCK_TOLERANCE_SECONDS,
    verifiedTokenCacheSize: env.AUTH__VERIFIED_TOKEN_CACHE_SIZE,
  };
});
