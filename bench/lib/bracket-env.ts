import type { BracketOptions } from './brackets';
import { chooseLoadGenerator } from './wrk-load';

/**
 * Load shape of the bracketed scenarios (`baseline`, `app`). `BENCH_ROUNDS` / `BENCH_DURATION`
 * (seconds per run) / `BENCH_WARMUP` override it; `BENCH_ROUNDS=2 BENCH_DURATION=3` is a quick
 * run of about two minutes per scenario.
 */
export function bracketOptions(
  log: (message: string) => void,
): BracketOptions & { loadGenerator: string } {
  const { generator, describe } = chooseLoadGenerator();
  log(`  measured runs: ${describe}`);
  return {
    generator,
    loadGenerator: describe,
    rounds: Number(process.env.BENCH_ROUNDS ?? 5),
    duration: Number(process.env.BENCH_DURATION ?? 6),
    warmup: Number(process.env.BENCH_WARMUP ?? 3),
    connections: 50,
    log,
  };
}

/** The load part of every row's notes. */
export const describeLoad = (
  options: BracketOptions & { loadGenerator: string },
  pinning: string,
): string =>
  `${options.connections} connections, ${options.rounds} rounds of ${options.duration} s runs (R-X-R, X order rotated per round), measured runs by ${options.loadGenerator}, ${pinning}`;
