import type { BracketOptions } from './brackets';
import { chooseLoadGenerator } from './wrk-load';

/** Bracket options plus how the measured runs' load generator is named in the notes. */
export type BracketEnvOptions = BracketOptions & { generatorLabel: string };

/**
 * Load shape of the bracketed scenarios (`baseline`, `app`). `BENCH_ROUNDS` / `BENCH_DURATION`
 * (seconds per run) / `BENCH_WARMUP` override it; `BENCH_ROUNDS=2 BENCH_DURATION=3` is a quick
 * run of about two minutes per scenario.
 */
export function bracketOptions(log: (message: string) => void): BracketEnvOptions {
  const { generator, describe } = chooseLoadGenerator();
  log(`  measured runs: ${describe}`);
  return {
    generator,
    generatorLabel: describe,
    rounds: Number(process.env.BENCH_ROUNDS ?? 5),
    duration: Number(process.env.BENCH_DURATION ?? 6),
    warmup: Number(process.env.BENCH_WARMUP ?? 3),
    connections: 50,
    log,
  };
}

/** The load part of every row's notes. */
export const describeLoad = (options: BracketEnvOptions, pinning: string): string =>
  `${options.connections} connections, ${options.rounds} rounds of ${options.duration} s runs (R-X-R, X order rotated per round), measured runs by ${options.generatorLabel}, ${pinning}`;
