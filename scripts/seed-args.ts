import { parseFlags, parseWholeNumber, UsageError } from './cli';

export const SEED_USAGE = `Usage: npm run seed -- [--agents <n>] [--tools <n>] [--link-tools <k>] [--reset]

Fills the database (DATABASE__URL, else the embedded server of \`npm start\`) with seed data using
COPY. Re-running tops up to the requested counts; seeded rows are owned by a fixed seed user and
named seed-agent-* / seed-tool-*.
  --agents <n>      seed agents wanted in total (default 100000)
  --tools <n>       seed tools wanted in total (default 50)
  --link-tools <k>  link each of the first 1000 seed agents to exactly k seed tools (default 0)
  --reset           delete seed agents and tools first
  --help            print this help`;

/** What `npm run seed` was asked for. */
export interface SeedArgs {
  help: boolean;
  agents: number;
  tools: number;
  linkTools: number;
  reset: boolean;
}

/**
 * Parses the seed script's flags.
 * @throws UsageError on unknown flags, bad numbers, or more tools per agent than tools.
 */
export function parseSeedArgs(argv: string[]): SeedArgs {
  const flags = parseFlags(argv, {
    agents: { type: 'string', default: '100000' },
    tools: { type: 'string', default: '50' },
    'link-tools': { type: 'string', default: '0' },
    reset: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  const args: SeedArgs = {
    help: flags.help,
    agents: parseWholeNumber('agents', flags.agents, 0, 100_000_000),
    tools: parseWholeNumber('tools', flags.tools, 0, 100_000),
    linkTools: parseWholeNumber('link-tools', flags['link-tools'], 0, 100_000),
    reset: flags.reset,
  };
  if (args.linkTools > args.tools) {
    throw new UsageError('--link-tools cannot exceed --tools');
  }
  return args;
}
