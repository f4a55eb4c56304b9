import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { parseEnvBoolean } from '../config';

/** The V8 flag the service runs with unless `PERFORMANCE__V8_PRETENURING=true`. */
export const NO_PRETENURING_FLAG = '--no-allocation-site-pretenuring';

/** Set with fewer than two CPUs unless `PERFORMANCE__V8_PARALLEL_SCAVENGE=true`. */
export const NO_PARALLEL_SCAVENGE_FLAG = '--no-parallel-scavenge';

/** What the V8 flags depend on besides the environment; parameters for tests. */
export interface V8FlagInputs {
  execArgv: readonly string[];
  setFlags: (flags: string) => void;
  /** CPUs this process may use at once (see {@link cpuBudget}). */
  cpus: () => number;
}

/**
 * Sets the service's V8 flags before any of the app's code runs (the entry points import
 * `./v8-defaults` first). Returns the flags it set; a flag on node's command line is the
 * operator's choice and left alone.
 *
 * - `--no-allocation-site-pretenuring`, unless `PERFORMANCE__V8_PRETENURING=true`. Once a
 *   scavenge finds most of a site's recent objects alive (rows gathered until their query
 *   completes), V8 allocates everything from that site in the old generation from then on. pg's
 *   row parser became such a site: a standalone pg loop promoted 3.3 MB per scavenge with it on,
 *   even one query at a time, and 14 KB with it off (8 mark-compacts in 6 s instead of 2); the
 *   app's DB page at 50 connections paused 7 ms per scavenge instead of 2.6 ms. What a request
 *   allocates dies young; a long-lived object now pays a copy or two before it is promoted.
 * - `--no-parallel-scavenge` when the process may use fewer than two CPUs
 *   (`PERFORMANCE__V8_PARALLEL_SCAVENGE` `auto`, the default; `false` always, `true` never).
 *   V8 sizes its scavenger tasks by the host's cores and Node's 4 platform threads, not by the
 *   CPU affinity or the cgroup's quota; on one CPU its helpers take turns on the core the main
 *   thread waits on. Cached hits pinned
 *   to one core: 0.92 -> 0.59 ms a scavenge, 0.9 -> 0.5 µs of GC a request. The flag is read at
 *   each scavenge, so setting it at run time takes effect (`--single-threaded-gc` does not: it
 *   crashes V8's concurrent marker when set after start).
 */
export function applyV8Flags(
  // eslint-disable-next-line no-restricted-properties -- read before any config exists (flags must precede other code); PerformanceEnv validates the keys at boot
  env: NodeJS.ProcessEnv = process.env,
  inputs: Partial<V8FlagInputs> = {},
): string[] {
  const { execArgv = process.execArgv, setFlags = setFlagsFromString, cpus = cpuBudget } = inputs;
  const onCommandLine = (name: string) => execArgv.some((arg) => arg.includes(name));
  const flags: string[] = [];
  if (
    parseEnvBoolean(env.PERFORMANCE__V8_PRETENURING) !== true &&
    !onCommandLine('allocation-site-pretenuring')
  ) {
    flags.push(NO_PRETENURING_FLAG);
  }
  const scavenge = env.PERFORMANCE__V8_PARALLEL_SCAVENGE || 'auto';
  if (
    !onCommandLine('parallel-scavenge') &&
    !onCommandLine('single-threaded-gc') &&
    (scavenge === 'false' || (scavenge === 'auto' && cpus() < 2))
  ) {
    flags.push(NO_PARALLEL_SCAVENGE_FLAG);
  }
  flags.forEach((flag) => setFlags(flag));
  return flags;
}

/**
 * CPUs this process may use at once: the CPUs of its affinity mask (`taskset`, a cpuset), or
 * fewer if its cgroup has a CPU quota (a container's CPU limit: cgroup v2 `cpu.max`, v1
 * `cpu.cfs_quota_us` / `cpu.cfs_period_us`).
 */
export function cpuBudget(read: (path: string) => string | undefined = readText): number {
  const affinity = availableParallelism();
  const quota = cgroupQuota(read);
  return quota === undefined ? affinity : Math.min(affinity, quota);
}

/** The cgroup's CPU quota in CPUs (1.5 for 150000 of 100000), undefined without one. */
export function cgroupQuota(read: (path: string) => string | undefined): number | undefined {
  const v2 = read('/sys/fs/cgroup/cpu.max')?.trim().split(/\s+/);
  if (v2) {
    return ratio(v2[0], v2[1]);
  }
  return ratio(
    read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us')?.trim(),
    read('/sys/fs/cgroup/cpu/cpu.cfs_period_us')?.trim(),
  );
}

function ratio(quota: string | undefined, period: string | undefined): number | undefined {
  const q = Number(quota);
  const p = Number(period);
  // `max` (v2) or -1 (v1): no quota.
  return Number.isFinite(q) && q > 0 && Number.isFinite(p) && p > 0 ? q / p : undefined;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
