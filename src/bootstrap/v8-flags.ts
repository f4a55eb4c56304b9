import { setFlagsFromString } from 'node:v8';

/** The V8 flag the service runs with unless `PERFORMANCE__V8_PRETENURING=true`. */
export const NO_PRETENURING_FLAG = '--no-allocation-site-pretenuring';

/** `PERFORMANCE__V8_PRETENURING` as the config's boolean keys read it (validated at boot). */
function pretenuringWanted(raw: string | undefined): boolean {
  return ['true', '1', 'yes'].includes(
    String(raw ?? '')
      .trim()
      .toLowerCase(),
  );
}

/**
 * Turns off V8's allocation-site pretenuring for this process, before any of the app's code runs
 * (the entry points import `./v8-defaults` first). Measured: once V8 sees a scavenge find most of
 * a site's objects alive (a result still being parsed, rows gathered until the query completes), it
 * allocates everything from that site in the old generation from then on. pg's row parser is such
 * a site: every row string of every later query went straight to old space (~10 KB per 20-row
 * page, 3.3 MB per scavenge even at one query at a time), so the old generation filled in seconds,
 * mark-compacts ran 8x as often and the mean scavenge paused 7 ms instead of 2.6 ms. What a
 * request allocates dies young; a long-lived object now pays a copy or two before promotion.
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
    pretenuringWanted(env.PERFORMANCE__V8_PRETENURING) ||
    execArgv.some((arg) => arg.includes('allocation-site-pretenuring'))
  ) {
    return [];
  }
  setFlags(NO_PRETENURING_FLAG);
  return [NO_PRETENURING_FLAG];
}
