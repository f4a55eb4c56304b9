import { EnvValidationError, validateEnv } from '../config';
import { DatabaseEnv, splitList } from './persistence.config';

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

describe('DATABASE__REPLICA_URLS', () => {
  const primary = { DATABASE__URL: 'postgres://app:secret@primary:5432/app' };

  it('should be empty by default (no replicas)', () => {
    expect(splitList(validateEnv(DatabaseEnv, primary).DATABASE__REPLICA_URLS)).toEqual([]);
  });

  it('should split a comma-separated list, ignoring blanks', () => {
    const env = validateEnv(DatabaseEnv, {
      ...primary,
      DATABASE__REPLICA_URLS: ' postgres://a:pw@r1/app , ,postgresql://a:pw@r2/app',
    });

    expect(splitList(env.DATABASE__REPLICA_URLS)).toEqual([
      'postgres://a:pw@r1/app',
      'postgresql://a:pw@r2/app',
    ]);
  });

  it('should name the key and never echo the value of a bad entry', () => {
    const validate = () =>
      validateEnv(DatabaseEnv, {
        ...primary,
        DATABASE__REPLICA_URLS: 'postgres://a:hunter2@r1/app,mysql://a:hunter2@r2/app',
      });

    expect(validate).toThrow(
      'DATABASE__REPLICA_URLS: must be a comma-separated list of postgres:// URLs',
    );
    expect(validate).not.toThrow(/hunter2/);
  });

  it('should refuse replicas without DATABASE__URL', () => {
    const validate = () =>
      validateEnv(DatabaseEnv, { DATABASE__REPLICA_URLS: 'postgres://a:pw@r1/app' });

    expect(validate).toThrow('DATABASE__REPLICA_URLS: needs DATABASE__URL');
  });

  it('should reject a max lag below 100 ms, naming the key', () => {
    const validate = () =>
      validateEnv(DatabaseEnv, { ...primary, DATABASE__REPLICA_MAX_LAG_MS: '10' });

    expect(validate).toThrow(/DATABASE__REPLICA_MAX_LAG_MS: /);
  });
});
