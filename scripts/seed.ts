import 'reflect-metadata';
import { Client } from 'pg';
import { databaseConfig } from '../src/persistence';
import { loadDevelopmentEnv } from '../src/config';
import { runCli } from './cli';
import { formatCount, formatDuration, ProgressBar } from './progress';
import { parseSeedArgs, SEED_USAGE } from './seed-args';
import {
  copySeedAgents,
  countSeedAgents,
  describeDatabase,
  ensureSeedOwner,
  linkSeedTools,
  migrate,
  resetSeedData,
  seedTools,
} from './seed-database';
import { withIndexesRebuilt } from './index-rebuild';
import { SeedAgentGenerator } from './seed-rows';

/** Loads at least this big (and at least doubling the seed rows) rebuild indexes instead of updating them. */
const REBUILD_INDEXES_FROM = 100_000;

// `npm run seed -- --agents 1000000`: realistic data for the pagination and caching benchmarks,
// loaded with COPY. Progress goes to stderr, the one-line summary to stdout.
runCli(SEED_USAGE, async () => {
  const args = parseSeedArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${SEED_USAGE}\n`);
    return;
  }
  loadDevelopmentEnv();
  const config = databaseConfig();
  // Without DATABASE__URL: the embedded server that `npm start` runs (same defaults as the app).
  const url =
    config.url ?? `postgres://postgres:postgres@127.0.0.1:${config.embedded.port}/agentic`;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  log(`Seeding ${describeDatabase(url)}`);
  try {
    const applied = await migrate(config, url);
    log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Schema is up to date');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint = config.url
      ? ''
      : ' (set DATABASE__URL, or start the app so its embedded server runs)';
    throw new Error(`cannot prepare ${describeDatabase(url)}: ${reason}${hint}`);
  }

  const client = new Client({ connectionString: url, application_name: 'agentic-seed' });
  await client.connect();
  try {
    // Seed data can be re-created: skip waiting for the WAL flush on every COPY commit.
    await client.query('SET synchronous_commit = off');
    // Room for index rebuilds to sort in memory.
    await client.query("SET maintenance_work_mem = '256MB'");
    if (args.reset) {
      const removed = await resetSeedData(client);
      log(
        `Reset: removed ${formatCount(removed.agents)} agents, ${formatCount(removed.tools)} tools`,
      );
    }
    await ensureSeedOwner(client);
    const existing = await countSeedAgents(client);
    const missing = Math.max(0, args.agents - existing);
    const started = performance.now();
    if (missing > 0) {
      const bar = new ProgressBar('agents', missing);
      const generator = new SeedAgentGenerator({ start: existing, nowMicros: Date.now() * 1000 });
      const load = async () => {
        await copySeedAgents(client, generator, missing, (done) => bar.update(done));
        bar.finish(missing);
      };
      if (missing >= REBUILD_INDEXES_FROM && missing >= existing) {
        log(
          'Large load: agents indexes are dropped and rebuilt afterwards (agents is locked meanwhile)',
        );
        await withIndexesRebuilt(client, 'agents', log, load);
      } else {
        await load();
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const tools = await seedTools(client, args.tools);
    const links = args.linkTools > 0 ? await linkSeedTools(client, args.linkTools) : 0;
    await client.query('ANALYZE agents, tools, agent_tools');
    const rate = missing > 0 ? `, ${formatCount(missing / seconds)} rows/s` : '';
    process.stdout.write(
      `Seed done: ${formatCount(missing)} agents inserted (${formatCount(existing + missing)} seed agents in total)` +
        ` in ${formatDuration(seconds)}${rate}; ${formatCount(tools)} tools inserted; ${formatCount(links)} agent-tool links\n`,
    );
  } finally {
    await client.end();
  }
});
