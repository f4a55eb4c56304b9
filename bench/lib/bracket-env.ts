import type { BracketOptions } from './brackets';

/**
 * Load shape of the bracketed scenarios (`baseline`, `app`). `BENCH_ROUNDS` / `BENCH_DURATION`
 * (seconds per run) / `BENCH_WARMUP` override it; `BENCH_ROUNDS=2 BENCH_DURATION=3` is a quick
 * run of about two minutes per scenario.
 */
export function bracketOptions(log: (message: string) => void): BracketOptions {
  return {
    rounds: Number(process.env.BENCH_ROUNDS ?? 3),
    duration: Number(process.env.BENCH_DURATION ?? 10),
    warmup: Number(process.env.BENCH_WARMUP ?? 3),
    connections: 50,
    log,
  };
}

/** The load part of every row's notes. */
export const describeLoad = (options: BracketOptions, pinning: string): string =>
  `${options.connections} connections, ${options.rounds} rounds of ${options.duration} s runs (R-X-R, X order rotated per round), ${pinning}`;
