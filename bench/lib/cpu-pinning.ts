import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Where the bench runs its servers and its load generator: servers on one core, this process
 * (autocannon's worker threads) on another, so the two never compete for a core. Without
 * `taskset` or with one core, nothing is pinned and {@link describe} says so.
 */
export interface CpuPinning {
  /** Prefix for spawning a server: `['taskset', '-c', '0']`, or `[]` when unpinned. */
  serverPrefix: string[];
  /** What was done, for the notes of every result. */
  describe: string;
  /** Gives this process back the affinity it had. */
  restore(): void;
}

const hasTaskset = (): boolean => {
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** The affinity list of a process, e.g. `0-1`. */
const affinityOf = (pid: number): string =>
  execFileSync('taskset', ['-c', '-p', String(pid)])
    .toString()
    .replace(/^.*:\s*/s, '')
    .trim();

/**
 * Pins every thread of this process to `loadCore` and returns the prefix that starts a server
 * on `serverCore`. Falls back to no pinning (and says so) when it cannot pin.
 */
export function pinCores(serverCore = 0, loadCore = 1): CpuPinning {
  const unpinned = (why: string): CpuPinning => ({
    serverPrefix: [],
    describe: `unpinned (${why})`,
    restore: () => undefined,
  });
  if (process.platform !== 'linux' || !hasTaskset()) {
    return unpinned('no taskset');
  }
  if (availableParallelism() < 2) {
    return unpinned('one core');
  }
  const pid = String(process.pid);
  try {
    const previous = affinityOf(process.pid);
    execFileSync('taskset', ['-a', '-c', '-p', String(loadCore), pid], { stdio: 'ignore' });
    return {
      serverPrefix: ['taskset', '-c', String(serverCore)],
      describe: `servers on core ${serverCore}, load generator on core ${loadCore} (taskset); Redis and PostgreSQL unpinned`,
      restore: () =>
        execFileSync('taskset', ['-a', '-c', '-p', previous, pid], { stdio: 'ignore' }),
    };
  } catch (error) {
    return unpinned(error instanceof Error ? error.message : String(error));
  }
}
