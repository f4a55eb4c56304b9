import { parseArgs, ParseArgsConfig } from 'node:util';
import { EnvValidationError } from '../src/config';

/** Bad command-line arguments: the script prints the message and its usage, then exits 2. */
export class UsageError extends Error {
  readonly kind = 'usage' as const;

  constructor(message: string) {
    super(message);
    this.name = UsageError.name;
  }
}

/**
 * Runs a script's `main` and turns its failure into an exit code: 2 with the usage for bad
 * arguments, 1 with the env problems (never values) or the error message otherwise.
 */
export function runCli(usage: string, main: () => Promise<void> | void): void {
  Promise.resolve()
    .then(main)
    .catch((error: unknown) => {
      if (error instanceof UsageError) {
        process.stderr.write(`${error.message}\n\n${usage}\n`);
        process.exitCode = 2;
      } else if (error instanceof EnvValidationError) {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 1;
      } else {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`Failed: ${message}\n`);
        process.exitCode = 1;
      }
    });
}

/** `util.parseArgs` in strict mode, with its errors turned into {@link UsageError}s. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/**
 * Parses a whole number given as a flag value (`1000000`, `1_000_000` or `1,000,000`).
 * @throws UsageError naming the flag when the value is not a whole number within [min, max].
 */
export function parseWholeNumber(flag: string, raw: string, min: number, max: number): number {
  const digits = raw.replace(/[_,]/g, '');
  const value = /^\d+$/.test(digits) ? Number(digits) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}`);
  }
  return value;
}
