import { EnvValidationError, validateEnv } from '../config';
import { DatabaseEnv } from './persistence.config';

describe(DatabaseEnv.name, () => {
  it('should default the query timeout above the statement timeout', () => {
    const env = validateEnv(DatabaseEnv, {});

    expect(env.DATABASE__QUERY_TIMEOUT_MS).toBeGreaterThan(env.DATABASE__STATEMENT_TIMEOUT_MS);
  });

  it.each([
    ['equal', '5000', '5000'],
    ['below', '5000', '4000'],
  ])('should reject a query timeout %s the statement timeout, naming both keys', (_, s, q) => {
    const validate = () =>
      validateEnv(DatabaseEnv, {
        DATABASE__STATEMENT_TIMEOUT_MS: s,
        DATABASE__QUERY_TIMEOUT_MS: q,
      });

    expect(validate).toThrow(EnvValidationError);
    expect(validate).toThrow(
      'DATABASE__QUERY_TIMEOUT_MS: must be greater than DATABASE__STATEMENT_TIMEOUT_MS',
    );
  });

  it('should accept any query timeout when the statement timeout is off (0)', () => {
    const env = validateEnv(DatabaseEnv, {
      DATABASE__STATEMENT_TIMEOUT_MS: '0',
      DATABASE__QUERY_TIMEOUT_MS: '1000',
    });

    expect(env.DATABASE__QUERY_TIMEOUT_MS).toBe(1000);
  });
});
