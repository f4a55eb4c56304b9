import { EnvValidationError, validateEnv } from '../config';
import { parseBreakerEnv, resilienceConfig, ResilienceEnv } from './resilience.config';

/** Runs `fn` with `env` as the whole environment, restoring the real one afterwards. */
function withEnv<T>(env: Record<string, string>, fn: () => T): T {
  const replaced = jest.replaceProperty(process, 'env', env);
  try {
    return fn();
  } finally {
    replaced.restore();
  }
}

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof EnvValidationError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error('expected an EnvValidationError');
};

describe(parseBreakerEnv.name, () => {
  it('should read per-breaker keys into options of the lower-cased breaker name', () => {
    const breakers = parseBreakerEnv({
      RESILIENCE__BREAKERS__EXTERNAL_API__CALL_TIMEOUT_MS: '250',
      RESILIENCE__BREAKERS__EXTERNAL_API__FAILURE_THRESHOLD: '5',
      RESILIENCE__BREAKERS__EXTERNAL_API__FAILURE_TIMEOUT_MS: '60000',
      RESILIENCE__BREAKERS__EXTERNAL_API__MAX_CONCURRENT: '20',
      RESILIENCE__BREAKERS__PAYMENTS2__HALF_OPEN_PROBES: '3',
      RESILIENCE__BREAKERS__PAYMENTS2__RETRIES: '0',
      RESILIENCE__BREAKERS__IGNORED__CALL_TIMEOUT_MS: '',
      UNRELATED: 'x',
    });

    expect(breakers).toEqual({
      external_api: {
        callTimeoutMs: 250,
        failureThreshold: 5,
        failureTimeoutMs: 60000,
        maxConcurrent: 20,
      },
      payments2: { halfOpenProbes: 3, retries: 0 },
    });
  });

  it('should stop on a value that is not an integer, naming the key and the rule, not the value', () => {
    const problems = problemsOf(() =>
      parseBreakerEnv({ RESILIENCE__BREAKERS__X__CALL_TIMEOUT_MS: 'abc' }),
    );

    expect(problems).toEqual([
      'RESILIENCE__BREAKERS__X__CALL_TIMEOUT_MS: must be an integer from 1 to 600000',
    ]);
  });

  it.each(['0', '-5', '1.5', '1e3', ' 10', '600001'])(
    'should reject %p as a call timeout',
    (raw) => {
      expect(() => parseBreakerEnv({ RESILIENCE__BREAKERS__X__CALL_TIMEOUT_MS: raw })).toThrow(
        EnvValidationError,
      );
    },
  );

  it('should stop on an unknown key, listing the known ones', () => {
    const problems = problemsOf(() =>
      parseBreakerEnv({
        RESILIENCE__BREAKERS__X__CALL_TIMEOUT: 'secret-value-1',
        RESILIENCE__BREAKERS__lower__CALL_TIMEOUT_MS: '10',
      }),
    );

    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^RESILIENCE__BREAKERS__X__CALL_TIMEOUT: unknown key; use /);
    expect(problems[0]).toContain('CALL_TIMEOUT_MS|FAILURE_THRESHOLD|FAILURE_TIMEOUT_MS');
    expect(problems[1]).toMatch(/^RESILIENCE__BREAKERS__lower__CALL_TIMEOUT_MS: unknown key/);
    expect(problems.join('\n')).not.toContain('secret-value-1');
  });

  it('should report every bad key at once', () => {
    const problems = problemsOf(() =>
      parseBreakerEnv({
        RESILIENCE__BREAKERS__A__MAX_CONCURRENT: '0',
        RESILIENCE__BREAKERS__B__FAILURE_THRESHOLD: 'many',
        RESILIENCE__BREAKERS__C__COLOUR: '1',
      }),
    );

    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'RESILIENCE__BREAKERS__A__MAX_CONCURRENT',
      'RESILIENCE__BREAKERS__B__FAILURE_THRESHOLD',
      'RESILIENCE__BREAKERS__C__COLOUR',
    ]);
  });
});

describe('resilienceConfig', () => {
  it('should give defaults from RESILIENCE__DEFAULT__* and breakers from the env', () => {
    const config = withEnv(
      {
        RESILIENCE__DEFAULT__CALL_TIMEOUT_MS: '1500',
        RESILIENCE__BREAKERS__EXTERNAL_API__FAILURE_THRESHOLD: '7',
      },
      () => resilienceConfig(),
    );

    // Only keys that are set: unset ones must not hide the defaults given to forRoot().
    expect(config.defaults).toEqual({ callTimeoutMs: 1500 });
    expect(config.breakers).toEqual({ external_api: { failureThreshold: 7 } });
  });

  it('should stop the boot on a bad per-breaker value, naming the key', () => {
    expect(() =>
      withEnv({ RESILIENCE__BREAKERS__X__CALL_TIMEOUT_MS: 'abc' }, () => resilienceConfig()),
    ).toThrow(/RESILIENCE__BREAKERS__X__CALL_TIMEOUT_MS: must be an integer/);
  });

  it('should stop the boot on an unknown per-breaker key, naming it', () => {
    expect(() =>
      withEnv({ RESILIENCE__BREAKERS__X__TIMEOUT: '5' }, () => resilienceConfig()),
    ).toThrow(/RESILIENCE__BREAKERS__X__TIMEOUT: unknown key/);
  });

  it('should stop the boot on a bad default, naming the key', () => {
    expect(() =>
      validateEnv(ResilienceEnv, { RESILIENCE__DEFAULT__FAILURE_THRESHOLD: 'abc' }),
    ).toThrow(/RESILIENCE__DEFAULT__FAILURE_THRESHOLD/);
  });
});
