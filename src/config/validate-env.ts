import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { EnvValidationError } from './env-validation.error';

type EnvClass<T> = new () => T;

/** Lists one line per bad key: the key and the rules it breaks, never its value. */
export function describeEnvProblems(errors: ValidationError[]): string[] {
  return errors.map((error) => {
    const rules = Object.values(error.constraints ?? {}).map((message) =>
      // class-validator messages start with the property name; keep only the rule.
      message.startsWith(error.property) ? message.slice(error.property.length).trim() : message,
    );
    return `${error.property}: ${rules.join('; ')}`;
  });
}

/**
 * Validates the raw environment against an env class and returns the typed, defaulted instance.
 * Empty strings count as "not set", so `FOO=` in a .env file falls back to the default.
 *
 * @throws EnvValidationError naming every bad key.
 */
export function validateEnv<T extends object>(
  envClass: EnvClass<T>,
  raw: Record<string, string | undefined>,
): T {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined && value !== '') {
      present[key] = value;
    }
  }
  const instance = plainToInstance(envClass, present, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(instance, {
    skipMissingProperties: false,
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) {
    throw new EnvValidationError(describeEnvProblems(errors));
  }
  return instance;
}

/** Validates several env classes at once so a boot reports every bad key, not only the first. */
export function validateEnvClasses(
  envClasses: EnvClass<object>[],
  raw: Record<string, string | undefined>,
): void {
  const problems: string[] = [];
  for (const envClass of envClasses) {
    try {
      validateEnv(envClass, raw);
    } catch (error) {
      if (!(error instanceof EnvValidationError)) {
        throw error;
      }
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) {
    throw new EnvValidationError([...new Set(problems)]);
  }
}
