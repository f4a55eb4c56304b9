import { EnvValidationError, validateEnv } from '../config';
import { MonitoringEnv, parseRequiredGroups } from './monitoring.config';

describe(MonitoringEnv.name, () => {
  it('should default readiness to require the database only', () => {
    const env = validateEnv(MonitoringEnv, {});
    expect(parseRequiredGroups(env.MONITORING__READINESS_REQUIRED)).toEqual(['database']);
  });

  it('should accept a comma list and none', () => {
    expect(parseRequiredGroups(' database , redis')).toEqual(['database', 'redis']);
    expect(parseRequiredGroups('none')).toEqual([]);
    expect(() =>
      validateEnv(MonitoringEnv, { MONITORING__READINESS_REQUIRED: 'database,redis' }),
    ).not.toThrow();
  });

  it('should name the key of an unknown group, not its value', () => {
    expect(() =>
      validateEnv(MonitoringEnv, { MONITORING__READINESS_REQUIRED: 'database,secret-thing' }),
    ).toThrow(/MONITORING__READINESS_REQUIRED: must be "none" or a comma list/);
  });

  it('should leave the management port off by default and accept a port or 0', () => {
    expect(validateEnv(MonitoringEnv, {}).MONITORING__MANAGEMENT_PORT).toBeUndefined();
    expect(
      validateEnv(MonitoringEnv, { MONITORING__MANAGEMENT_PORT: '9090' })
        .MONITORING__MANAGEMENT_PORT,
    ).toBe(9090);
    expect(() => validateEnv(MonitoringEnv, { MONITORING__MANAGEMENT_PORT: '70000' })).toThrow(
      /MONITORING__MANAGEMENT_PORT: /,
    );
  });

  describe('MONITORING__METRICS_TOKEN', () => {
    const production = { NODE_ENV: 'production' };

    it('should be required in production, named with the way out', () => {
      let caught: unknown;
      try {
        validateEnv(MonitoringEnv, production);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(EnvValidationError);
      expect((caught as EnvValidationError).problems).toEqual([
        expect.stringMatching(
          /^MONITORING__METRICS_TOKEN: is required when NODE_ENV=production.*MONITORING__METRICS_PUBLIC=true/,
        ),
      ]);
    });

    it('should not be required outside production, with MONITORING__METRICS_PUBLIC or /metrics off', () => {
      expect(() => validateEnv(MonitoringEnv, {})).not.toThrow();
      expect(() =>
        validateEnv(MonitoringEnv, { ...production, MONITORING__METRICS_PUBLIC: 'true' }),
      ).not.toThrow();
      expect(() =>
        validateEnv(MonitoringEnv, { ...production, MONITORING__METRICS_ENABLED: 'false' }),
      ).not.toThrow();
    });

    it('should refuse a short token anywhere, and the template placeholder in production', () => {
      expect(() => validateEnv(MonitoringEnv, { MONITORING__METRICS_TOKEN: 'short' })).toThrow(
        /MONITORING__METRICS_TOKEN: must be at least 16 characters/,
      );
      const placeholder = { MONITORING__METRICS_TOKEN: 'CHANGE-ME-metrics-token' };
      expect(() => validateEnv(MonitoringEnv, placeholder)).not.toThrow();
      expect(() => validateEnv(MonitoringEnv, { ...production, ...placeholder })).toThrow(
        /MONITORING__METRICS_TOKEN: is a development, test or placeholder value/,
      );
      expect(() =>
        validateEnv(MonitoringEnv, {
          ...production,
          MONITORING__METRICS_TOKEN: 'a1b2c3d4e5f60718',
        }),
      ).not.toThrow();
    });
  });
});
