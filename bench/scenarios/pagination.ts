import { ensureSeedAgents } from '../lib/seed-agents';
import { startBenchApp } from '../lib/bench-app';
import type { RoundsOptions } from '../lib/load-rounds';
import type { Measurement, Scenario } from '../lib/scenario';
import { countStrategies } from './pagination/counts';
import { cursorWalk } from './pagination/cursor-walk';
import { keysetDepth, offsetDepth } from './pagination/depth';

/** Seed agents the scenario needs (BENCH_PAGINATION_AGENTS overrides for quick runs). */
const AGENTS = Number(process.env.BENCH_PAGINATION_AGENTS ?? 1_000_000);
/** Depth of the deep pages: 990k of 1M. */
const DEPTH = Math.round(AGENTS * 0.99);
/** Each URL: 3 runs of 5 s over 10 connections, alternating with its baseline. */
const LOAD: RoundsOptions = {
  rounds: Number(process.env.BENCH_ROUNDS ?? 3),
  duration: Number(process.env.BENCH_DURATION ?? 5),
  connections: 10,
};

/**
 * Pagination on the 1M-agent seed: keyset depth, offset depth and the raw SQL behind it, count
 * strategies, the in-memory list, and a full cursor walk checked row by row against the database.
 */
export const scenario: Scenario = {
  name: 'pagination',
  description: `${AGENTS} seeded agents: keyset vs offset at depth ${DEPTH}, count strategies, in-memory list, full cursor walk`,
  async run(context): Promise<Measurement[]> {
    context.log(`  seeding up to ${AGENTS} agents...`);
    await ensureSeedAgents(context.databaseUrl, AGENTS, context.log);
    // Paging itself is measured: the response cache in front of the lists would answer repeats.
    const app = await startBenchApp({ CACHING__ENABLED: 'false' });
    const onRun =
      LOAD.onRun ??
      ((target: { label: string }, round: number) =>
        context.log(`  round ${round + 1}: ${target.label}`));
    const load = { ...LOAD, onRun };
    try {
      return [
        ...(await keysetDepth(context, app, DEPTH, load)),
        ...(await offsetDepth(context, app, DEPTH, load)),
        ...(await countStrategies(app, load)),
        ...(await cursorWalk(context, app)),
      ];
    } finally {
      await app.close();
    }
  },
};
