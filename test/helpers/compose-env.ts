import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';

/** A variable the compose file requires (`${NAME:?message}`) that the shell did not set. */
export class MissingComposeVariableError extends Error {
  constructor(readonly missing: Array<{ name: string; message: string }>) {
    super(
      missing
        .map(({ name, message }) => `required variable ${name} is missing: ${message}`)
        .join('\n'),
    );
  }
}

// ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}, and $$ for a literal $.
const REFERENCE =
  /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Interpolates one compose value the way `docker compose` does, from `shell` only (no `.env`
 * file: the test passes the variables an operator exports). Collects every missing required
 * variable instead of stopping at the first.
 */
export function interpolate(
  value: string,
  shell: Record<string, string | undefined>,
  missing: Array<{ name: string; message: string }>,
): string {
  return value.replace(
    REFERENCE,
    (match, braced?: string, operator?: string, argument = '', bare?: string) => {
      if (match === '$$') {
        return '$';
      }
      const name = braced ?? bare ?? '';
      const current = shell[name];
      const unset = operator?.startsWith(':') ? !current : current === undefined;
      switch (operator) {
        case ':-':
        case '-':
          return unset ? argument : (current ?? '');
        case ':?':
        case '?':
          if (unset) {
            missing.push({ name, message: argument });
            return '';
          }
          return current ?? '';
        case undefined:
          return current ?? '';
      }
    },
  );
}

interface ComposeFile {
  services: Record<string, { environment?: Record<string, string | number | boolean> }>;
}

/** The environment `docker compose` gives `service` in `file`, interpolated from `shell`. */
export function composeServiceEnv(
  file: string,
  service: string,
  shell: Record<string, string | undefined>,
): Record<string, string> {
  const compose = load(readFileSync(file, 'utf8')) as ComposeFile;
  const environment = compose.services[service]?.environment;
  if (!environment) {
    throw new Error(`${file} has no environment for service ${service}`);
  }
  const missing: Array<{ name: string; message: string }> = [];
  const env = Object.fromEntries(
    Object.entries(environment).map(([key, value]) => [
      key,
      interpolate(String(value), shell, missing),
    ]),
  );
  if (missing.length > 0) {
    throw new MissingComposeVariableError(missing);
  }
  return env;
}
