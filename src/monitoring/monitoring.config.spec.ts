import { validateEnv } from '../config';
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
});
