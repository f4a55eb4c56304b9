import { ValidateBy } from 'class-validator';

/** `scheme://host[:port]` as a browser sends it in `Origin`: no path, no trailing slash. */
function isOrigin(item: string): boolean {
  try {
    const url = new URL(item);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === item;
  } catch {
    return false;
  }
}

/** The comma-separated origins of `value`, trimmed, empty items dropped. */
export function parseOriginList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/**
 * An env key holding allowed CORS origins: a comma list of exact origins
 * (`https://app.example.com,http://localhost:5173`), `*` alone (any origin), or empty (none).
 *
 * @example
 * class AppEnv {
 *   @EnvOriginList()
 *   HTTP__CORS_ORIGINS = '';
 * }
 */
export function EnvOriginList(): PropertyDecorator {
  return ValidateBy({
    name: 'originList',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') {
          return false;
        }
        const origins = parseOriginList(value);
        return (origins.length === 1 && origins[0] === '*') || origins.every(isOrigin);
      },
      defaultMessage: () =>
        '$property must be "*" or a comma list of origins like https://app.example.com (scheme, host and port only, no path or trailing slash)',
    },
  });
}
