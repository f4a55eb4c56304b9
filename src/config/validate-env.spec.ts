import { IsOptional, IsString } from 'class-validator';
import { EnvBoolean, EnvInt } from './env.decorators';
import { EnvValidationError } from './env-validation.error';
import { validateEnv, validateEnvClasses } from './validate-env';

class SampleEnv {
  @EnvInt(1, 100)
  SAMPLE__POOL_SIZE = 10;

  @EnvBoolean()
  SAMPLE__ENABLED = true;

  @IsOptional()
  @IsString()
  SAMPLE__NAME?: string;
}

class OtherEnv {
  @EnvInt(0, 5)
  OTHER__RETRIES = 1;
}

describe(validateEnv.name, () => {
  it('should apply defaults when keys are missing or empty', () => {
    const env = validateEnv(SampleEnv, { SAMPLE__POOL_SIZE: '' });
    expect(env).toMatchObject({ SAMPLE__POOL_SIZE: 10, SAMPLE__ENABLED: true });
  });

  it('should convert integers and booleans from strings', () => {
    const env = validateEnv(SampleEnv, { SAMPLE__POOL_SIZE: '42', SAMPLE__ENABLED: 'false' });
    expect(env.SAMPLE__POOL_SIZE).toBe(42);
    expect(env.SAMPLE__ENABLED).toBe(false);
  });

  it('should name the key and the rule but never the value', () => {
    const secretLooking = 'abc-s3cr3t-value';
    let caught: unknown;
    try {
      validateEnv(SampleEnv, { SAMPLE__POOL_SIZE: secretLooking });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvValidationError);
    const error = caught as EnvValidationError;
    expect(error.problems).toEqual([expect.stringMatching(/^SAMPLE__POOL_SIZE: .*integer/)]);
    expect(error.message).not.toContain(secretLooking);
  });

  it('should reject a boolean that is not a known spelling', () => {
    expect(() => validateEnv(SampleEnv, { SAMPLE__ENABLED: 'maybe' })).toThrow(
      /SAMPLE__ENABLED: must be one of true, false/,
    );
  });
});

describe(validateEnvClasses.name, () => {
  it('should report every bad key of every class at once, one line each', () => {
    let caught: EnvValidationError | undefined;
    try {
      validateEnvClasses([SampleEnv, OtherEnv], { SAMPLE__POOL_SIZE: '0', OTHER__RETRIES: '9' });
    } catch (error) {
      caught = error as EnvValidationError;
    }
    expect(caught?.problems).toHaveLength(2);
    expect(caught?.problems[0]).toMatch(/^SAMPLE__POOL_SIZE:/);
    expect(caught?.problems[1]).toMatch(/^OTHER__RETRIES:/);
  });

  it('should pass a valid environment', () => {
    expect(() => validateEnvClasses([SampleEnv, OtherEnv], {})).not.toThrow();
  });
});
