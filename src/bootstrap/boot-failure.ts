import { inspect } from 'node:util';
import { EnvValidationError } from '../config';

/**
 * What to print for a boot error: an Error's stack with its `cause` chain, or, for anything else
 * thrown (a library rejecting with `undefined` printed "Worker boot failed: undefined"), the value
 * and the fact that it is not an Error.
 */
export function describeBootError(error: unknown): string {
  const text = inspect(error, { depth: 4, breakLength: Infinity });
  return error instanceof Error
    ? text
    : `${text} (a non-Error value was thrown; the log above may say more)`;
}

/**
 * Ends a process whose boot failed, exit 1. A bad environment is an operator error: only the bad
 * keys and their rules are printed (never a value or a stack trace); anything else is described
 * by {@link describeBootError} after `prefix` ("Boot failed", "Worker boot failed").
 */
export function exitOnBootFailure(prefix: string, error: unknown): never {
  process.stderr.write(
    error instanceof EnvValidationError
      ? `${error.message}\n`
      : `${prefix}: ${describeBootError(error)}\n`,
  );
  process.exit(1);
}
