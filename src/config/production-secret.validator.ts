import { ValidateBy, ValidationArguments } from 'class-validator';

/**
 * Words that mark a value as not meant for production: the development and test defaults
 * (`dev-only-...` in .env.development, `test-only-...` in the test setup) and the placeholders of
 * deploy/k8s/secret.example.yaml (`CHANGE-ME-...`).
 */
const NOT_FOR_PRODUCTION = /dev-only|test-only|change-?me/i;

/**
 * Least estimated entropy (bits) of a 32+ character production secret. The estimate is the
 * secret's length times the Shannon entropy of its own characters: 32 hex characters from
 * `openssl rand -hex 16` score 92+ (lowest of 200,000 draws), 64 from `openssl rand -hex 32` 210+;
 * a repeated pattern (`abab...`, `aaaa...`) scores far less. It refuses placeholders and typos,
 * not weak secrets with varied characters: the marker rule and operators' `openssl rand` do that.
 */
export const MIN_SECRET_ENTROPY_BITS = 80;

/** Length x Shannon entropy per character of the value's own character distribution. */
export function estimateEntropyBits(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) {
    counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let perChar = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    perChar -= p * Math.log2(p);
  }
  return perChar * value.length;
}

/** Why `value` may not be a production secret, or undefined when it may. Never echoes the value. */
export function productionSecretProblem(
  value: string,
  minEntropyBits: number = MIN_SECRET_ENTROPY_BITS,
): string | undefined {
  if (NOT_FOR_PRODUCTION.test(value)) {
    return 'is a development, test or placeholder value (dev-only / test-only / change-me), refused when NODE_ENV=production';
  }
  if (estimateEntropyBits(value) < minEntropyBits) {
    return 'is too repetitive for a secret, refused when NODE_ENV=production';
  }
  return undefined;
}

/** Options of {@link ProductionSecret}. */
export interface ProductionSecretOptions {
  /** Least estimated entropy in bits; 0 checks the markers only. @default MIN_SECRET_ENTROPY_BITS */
  minEntropyBits?: number;
}

/**
 * A secret env key that production refuses to run with a development, test or placeholder value:
 * when `NODE_ENV=production`, the value must carry no `dev-only`, `test-only` or `change-me`
 * marker and must not be a repeated pattern (see {@link MIN_SECRET_ENTROPY_BITS}). A rule on the
 * value itself, not a comparison with .env.development, so it holds in an image without that file.
 * Outside production it checks nothing. `NODE_ENV` is read from the env being validated
 * (`validateEnv` keeps every key of the environment on the instance).
 *
 * @example
 * class AuthEnv {
 *   @IsString() @MinLength(32) @ProductionSecret()
 *   AUTH__JWT_SECRET: string;
 * }
 */
export function ProductionSecret(options: ProductionSecretOptions = {}): PropertyDecorator {
  const minEntropyBits = options.minEntropyBits ?? MIN_SECRET_ENTROPY_BITS;
  return ValidateBy({
    name: 'productionSecret',
    validator: {
      validate: (value: unknown, args: ValidationArguments) =>
        (args.object as Record<string, unknown>).NODE_ENV !== 'production' ||
        typeof value !== 'string' ||
        productionSecretProblem(value, minEntropyBits) === undefined,
      defaultMessage: (args?: ValidationArguments) =>
        `$property ${productionSecretProblem(String(args?.value), minEntropyBits) ?? ''}`.trim(),
    },
  });
}
