import { setFlagsFromString } from 'node:v8';
import { parseEnvBoolean } from '../config';

/** The V8 flag the service runs with unless `PERFORMANCE__V8_PRETENURING=true`. */
export const NO_PRETENURING_FLAG = '--no-allocation-site-pretenuring';

/**
 * Turns off V8's allocation-site pretenuring for this process, before any of the app's code runs
 * (the entry points import `./v8-defaults` first). Once a scavenge finds most of a site's recent
 * objects alive (rows gathered until their query completes), V8 allocates everything from that
 * site in the old generation from then on. pg's row parser became such a site: a standalone pg
 * loop promoted 3.3 MB per scavenge with it on, even one query at a time, and 14 KB with it off
 * (8 mark-compacts in 6 s instead of 2); the app's DB page at 50 connections paused 7 ms per
 * scavenge instead of 2.6 ms. What a request allocates dies young; a long-lived object now pays a
 * copy or two before it is promoted.
 *
 * Left alone when the operator chose (`PERFORMANCE__V8_PRETENURING=true`, or the flag on node's
 * command line). Returns the flags it set.
 */
export function applyV8Flags(
  // eslint-disable-next-line no-restricted-properties -- read before any config exists (flags must precede other code); PerformanceEnv validates the key at boot
  env: NodeJS.ProcessEnv = process.env,
  execArgv: readonly string[] = process.execArgv,
  setFlags: (flags: string) => void = setFlagsFromString,
): string[] {
  if (
    parseEnvBoolean(env.PERFORMANCE__V8_PRETENURING) === true ||
    execArgv.some((arg) => arg.includes('allocation-site-pretenuring'))
  ) {
    return [];
  }
  setFlags(NO_PRETENURING_FLAG);
  return [NO_PRETENURING_FLAG];
}
