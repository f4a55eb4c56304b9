import { EnvValidationError, validateEnv } from '../config';
import { AuthEnv } from './auth.config';

const SECRET = 'unit-test-secret-0123456789abcdefghijkl';

describe(AuthEnv.name, () => {
  it('should default the maximum token lifetime to 24 h', () => {
    expect(validateEnv(AuthEnv, { AUTH__JWT_SECRET: SECRET }).AUTH__MAX_TOKEN_TTL_S).toBe(86400);
  });

  it('should refuse a token lifetime for npm run token above the maximum, naming both keys', () => {
    const boot = () =>
      validateEnv(AuthEnv, {
        AUTH__JWT_SECRET: SECRET,
        AUTH__TOKEN_TTL_SECONDS: '7200',
        AUTH__MAX_TOKEN_TTL_S: '3600',
      });
    expect(boot).toThrow(EnvValidationError);
    expect(boot).toThrow(/AUTH__TOKEN_TTL_SECONDS: must not be greater than AUTH__MAX_TOKEN_TTL_S/);
  });

  it('should refuse a maximum lifetime under a minute', () => {
    expect(() =>
      validateEnv(AuthEnv, { AUTH__JWT_SECRET: SECRET, AUTH__MAX_TOKEN_TTL_S: '10' }),
    ).toThrow(/AUTH__MAX_TOKEN_TTL_S/);
  });
});
