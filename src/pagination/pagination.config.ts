import { registerAs } from '@nestjs/config';
import { IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { EnvInt, ProductionSecret, validateEnv } from '../config';

/** Env keys of the pagination module. */
export class PaginationEnv {
  /** Page size when the request names none. */
  @EnvInt(1, 1000)
  PAGINATION__DEFAULT_SIZE = 20;

  /** Largest page size a request may ask for (larger is a 400). */
  @EnvInt(1, 1000)
  PAGINATION__MAX_SIZE = 100;

  /** Deepest offset (page x size) allowed in offset mode; deeper is a 400 pointing to the cursor endpoint. */
  @EnvInt(0, 10000000)
  PAGINATION__MAX_OFFSET = 10000;

  /** Most `filter[...]` parameters in one request. */
  @EnvInt(1, 100)
  PAGINATION__MAX_FILTERS = 10;

  /** Most values in one `in`/`nin` list. */
  @EnvInt(1, 10000)
  PAGINATION__MAX_LIST_LENGTH = 100;

  /** Longest filter or search value, in characters. */
  @EnvInt(1, 10000)
  PAGINATION__MAX_VALUE_LENGTH = 200;

  /** Query params accepted and ignored by every list (cache busters), comma-separated. */
  @Matches(/^[A-Za-z0-9_.-]*(,[A-Za-z0-9_.-]+)*$/, {
    message: '$property must be a comma list of parameter names',
  })
  PAGINATION__IGNORED_PARAMS = 'timestamp,nonce,_';

  /** Bound of the `capped` count strategy: totals above it are reported as "N+". */
  @EnvInt(1, 100000000)
  PAGINATION__COUNT_CAP = 10000;

  /** Seconds a `cached` count lives in Redis (the guide's `cache_ttl`). */
  @EnvInt(1, 86400)
  PAGINATION__COUNT_CACHE_TTL = 300;

  /**
   * HMAC key that signs cursors (32+ characters); in production not a development, test or
   * placeholder value (see `ProductionSecret`).
   */
  @IsString()
  @MinLength(32)
  @ProductionSecret()
  PAGINATION__CURSOR_SECRET: string;

  /** Id of the current cursor key, written into every cursor so keys can rotate. */
  @Matches(/^[A-Za-z0-9_-]{1,16}$/, { message: '$property must be 1-16 letters, digits, _ or -' })
  PAGINATION__CURSOR_KEY_ID = 'k1';

  /** Older keys still accepted while cursors signed with them circulate: `kid:secret,kid:secret`. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,16}:\S{32,}(,[A-Za-z0-9_-]{1,16}:\S{32,})*$/, {
    message: '$property must be a comma list of kid:secret pairs, each secret 32+ characters',
  })
  PAGINATION__CURSOR_PREVIOUS_KEYS?: string;

  /** Seconds a cursor stays valid. */
  @EnvInt(60, 31536000)
  PAGINATION__CURSOR_TTL_SECONDS = 86400;
}

/** Typed `pagination` namespace. */
export const paginationConfig = registerAs('pagination', () => {
  const env = validateEnv(PaginationEnv, process.env);
  const previous = (env.PAGINATION__CURSOR_PREVIOUS_KEYS ?? '')
    .split(',')
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf(':');
      return { id: pair.slice(0, at), secret: pair.slice(at + 1) };
    });
  return {
    defaultSize: env.PAGINATION__DEFAULT_SIZE,
    maxSize: env.PAGINATION__MAX_SIZE,
    maxOffset: env.PAGINATION__MAX_OFFSET,
    maxFilters: env.PAGINATION__MAX_FILTERS,
    maxListLength: env.PAGINATION__MAX_LIST_LENGTH,
    maxValueLength: env.PAGINATION__MAX_VALUE_LENGTH,
    ignoredParams: env.PAGINATION__IGNORED_PARAMS.split(',').filter(Boolean),
    countCap: env.PAGINATION__COUNT_CAP,
    countCacheTtlSeconds: env.PAGINATION__COUNT_CACHE_TTL,
    cursor: {
      keys: [
        { id: env.PAGINATION__CURSOR_KEY_ID, secret: env.PAGINATION__CURSOR_SECRET },
        ...previous,
      ],
      ttlSeconds: env.PAGINATION__CURSOR_TTL_SECONDS,
    },
  };
});

export type PaginationConfig = ReturnType<typeof paginationConfig>;
