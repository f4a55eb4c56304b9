import { ROLES, Role } from '../src/auth';
import { parseFlags, parseWholeNumber, UsageError } from './cli';

/** The same uuid shape the app's TokenService accepts in `sub`. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Longest `--ttl` accepted: one year, the same ceiling as AUTH__TOKEN_TTL_SECONDS. */
const MAX_TTL_SECONDS = 31_536_000;

export const TOKEN_USAGE = `Usage: npm run token -- (--sub <uuid> | --random-sub) [--role user|admin] [--ttl <seconds>]

Prints a bearer JWT signed with AUTH__JWT_SECRET (from the environment or .env.development).
  --sub <uuid>     user id put in the "sub" claim
  --random-sub     use a new random user id instead of --sub
  --role <role>    "role" claim: ${ROLES.join(' | ')} (default: user)
  --ttl <seconds>  lifetime (default: AUTH__TOKEN_TTL_SECONDS, 3600)
  --help           print this help`;

/** What `npm run token` was asked for. */
export interface TokenArgs {
  help: boolean;
  sub: string;
  role: Role;
  /** Undefined: use the configured AUTH__TOKEN_TTL_SECONDS. */
  ttlSeconds?: number;
}

/**
 * Parses the token script's flags.
 * @param newId makes the user id for `--random-sub` (randomUUID in the script).
 * @throws UsageError on unknown flags, a missing or malformed sub, a bad role or ttl.
 */
export function parseTokenArgs(argv: string[], newId: () => string): TokenArgs {
  const flags = parseFlags(argv, {
    sub: { type: 'string' },
    'random-sub': { type: 'boolean', default: false },
    role: { type: 'string', default: 'user' },
    ttl: { type: 'string' },
    help: { type: 'boolean', default: false },
  });
  if (flags.help) {
    return { help: true, sub: '', role: 'user' };
  }
  if (flags.sub !== undefined && flags['random-sub']) {
    throw new UsageError('Give either --sub or --random-sub, not both');
  }
  const sub = flags['random-sub'] ? newId() : flags.sub;
  if (sub === undefined) {
    throw new UsageError('--sub <uuid> is required (or --random-sub)');
  }
  if (!UUID.test(sub)) {
    throw new UsageError('--sub must be a uuid, e.g. 3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b');
  }
  const role = flags.role;
  if (!ROLES.includes(role as Role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  }
  const ttlSeconds =
    flags.ttl === undefined ? undefined : parseWholeNumber('ttl', flags.ttl, 1, MAX_TTL_SECONDS);
  return { help: false, sub: sub.toLowerCase(), role: role as Role, ttlSeconds };
}
