import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  measureCrossPodInvalidation,
  seedFleetAgent,
} from '../test/fixtures/fleet/cross-pod-invalidation';
import { Fleet, startFleet } from '../test/fixtures/fleet/fleet';
import { call, counterTotal, fleetBearer } from '../test/fixtures/fleet/fleet-http';
import { measureFailover } from '../test/fixtures/fleet/fleet-failover';
import { measureJobSpread } from '../test/fixtures/fleet/fleet-jobs';
import { measureFleetSingleFlight } from '../test/fixtures/fleet/fleet-single-flight';
import { FLEET_KEY_PREFIX, startTopology } from '../test/fixtures/fleet/redis-topology';
import { ReplicatedPostgres } from '../test/fixtures/persistence/replicated-postgres';
import { prepareBenchDatabase } from './lib/bench-database';
import { prepareBenchEnv } from './lib/bench-env';

// `npm run fleet [-- standalone|sentinel|cluster] [replicas]`: 3 API processes and 2 workers (the
// build, `dist/`) on loopback with Redis of their own (one server; a primary, a replica and a
// sentinel; or a 3+3 cluster) and a database of their own (`agentic_fleet` on the local server, or
// with `replicas` on a throwaway primary whose streaming replica serves the pods' reads). Measures
// what a fleet does that one pod cannot show, prints a report and writes
// bench/results/fleet-<topology>[-replicas].json. With sentinel or cluster, a primary is then killed
// under load. Counts: FLEET_WRITES (1000), FLEET_COLD (300), FLEET_TASKS (1000), FLEET_RATE (200).
const ARGS = process.argv.slice(2);
const TOPOLOGY = ARGS.find((arg) => arg !== 'replicas') ?? 'standalone';
/** `replicas`: a throwaway PostgreSQL primary with a streaming replica instead of the local server. */
const REPLICAS = ARGS.includes('replicas');
const WRITES = Number(process.env.FLEET_WRITES ?? 1000);
const COLD = Number(process.env.FLEET_COLD ?? 300);
const TASKS = Number(process.env.FLEET_TASKS ?? 1000);
const RATE = Number(process.env.FLEET_RATE ?? 200);
const log = (message: string) => process.stderr.write(`${message}\n`);

interface Figure {
  figure: string;
  value: string;
  goal: string;
}

async function withFleet<T>(
  env: Record<string, string>,
  run: (fleet: Fleet) => Promise<T>,
): Promise<T> {
  const fleet = await startFleet({ env, compiled: true });
  try {
    return await run(fleet);
  } finally {
    await fleet.stop();
  }
}

async function failoverFigures(
  fleet: Fleet,
  failover: () => Promise<unknown>,
  authorization: string,
): Promise<Figure[]> {
  const seen = await measureFailover(fleet, {
    ratePerSecond: RATE,
    tasks: TASKS,
    authorization,
    failover,
  });
  return [
    {
      figure: `primary killed under ${RATE} req/s on cached routes over 3 pods`,
      value: `${seen.errors} errors (5xx or failed) of ${seen.requests}; X-Cache ${JSON.stringify(seen.outcomes)}; new primary after ${Math.round(seen.failoverMs)} ms`,
      goal: '0 5xx, no restart',
    },
    {
      figure: `${seen.tasks} tasks enqueued around the failover`,
      value: `${seen.lost} lost, ${seen.completed} completed; ${seen.enqueueRetries} enqueues answered 503 and retried; degraded window ${Math.round(seen.degradedMs)} ms`,
      goal: '0 lost; say the degraded window',
    },
  ];
}

async function invalidationFigure(
  fleet: Fleet,
  lock: string,
  agentId: string,
  authorization: string,
): Promise<Figure> {
  const seen = await measureCrossPodInvalidation(fleet, { agentId, writes: WRITES, authorization });
  return {
    figure: `cross-pod invalidation, ${WRITES} writes x 2 readers, CACHING__LOCK=${lock} (ms from the write's answer to a fresh read)`,
    value: `p50 ${seen.p50Ms.toFixed(1)}, p99 ${seen.p99Ms.toFixed(1)}, max ${seen.maxMs.toFixed(1)}; ${seen.staleReads} stale reads, ${seen.neverFresh} never fresh${seen.neverFresh ? ` (writes ${seen.neverFreshWrites.join(', ')})` : ''}; slowest ${seen.slowest.map(({ write, reader, ms, stale }) => `#${write} ${reader} ${ms.toFixed(0)} ms/${stale} stale`).join(', ')}`,
    goal: 'p99 <= 50 ms',
  };
}

/** A page of its own per run (the fleets share one Redis): cold on every pod. */
let coldPage = 5;

async function singleFlightFigure(
  fleet: Fleet,
  lock: string,
  authorization: string,
): Promise<Figure> {
  const seen = await measureFleetSingleFlight(fleet, {
    path: `/agents?size=7&page=${coldPage++}`,
    requests: COLD,
    authorization,
  });
  return {
    figure: `fleet single-flight, ${COLD} cold requests over 3 pods, CACHING__LOCK=${lock}`,
    value: `${seen.handlerRuns} handler run(s); statuses ${JSON.stringify(seen.statuses)}; ${seen.distinctBodies} distinct body`,
    goal: lock === 'true' ? '<= 1' : '<= 3',
  };
}

async function jobSpreadFigure(fleet: Fleet, authorization: string): Promise<Figure> {
  const jobs = await measureJobSpread(fleet, { tasks: TASKS, authorization, timeoutMs: 600_000 });
  const shares = Object.entries(jobs.perWorker)
    .map(([worker, taken]) => `${worker} ${((100 * taken) / jobs.tasks).toFixed(1)}%`)
    .join(', ');
  return {
    figure: `queue work over 2 workers, ${TASKS} tasks`,
    value: `${shares}; ${jobs.lost} lost; ${jobs.seconds.toFixed(1)} s`,
    goal: 'each 35-65%, 0 lost',
  };
}

/** Reads the API pods have run on the replica and on the primary so far (`db_reads_total`). */
async function readsByTarget(fleet: Fleet): Promise<{ replica: number; primary: number }> {
  const totals = { replica: 0, primary: 0 };
  for (const pod of fleet.apis) {
    const { body } = await call<string>(pod, '/metrics');
    // Targets are `primary` and `replica-<index>`.
    const primary = counterTotal(body, 'db_reads_total', { target: 'primary' });
    totals.primary += primary;
    totals.replica += counterTotal(body, 'db_reads_total') - primary;
  }
  return totals;
}

/**
 * Where reads ran: during the run above (cache fills right after writes must see those writes:
 * the primary, by design), then for 300 anonymous uncached list reads (`GET /tools?size=20`).
 */
async function readTargetsFigure(fleet: Fleet): Promise<Figure> {
  const during = await readsByTarget(fleet);
  for (let read = 0; read < 300; read += 30) {
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => call(fleet.apis[(read + i) % 3], '/tools?size=20')),
    );
  }
  const after = await readsByTarget(fleet);
  return {
    figure: 'reads by target on the 3 API pods (db_reads_total)',
    value: `during the writes and fills above: replica ${during.replica}, primary ${during.primary}; 300 anonymous GET /tools?size=20 then: replica ${after.replica - during.replica}, primary ${after.primary - during.primary}`,
    goal: 'public reads on the replica; reads that must see a write on the primary',
  };
}

async function main(): Promise<void> {
  prepareBenchEnv();
  const replicated = REPLICAS ? await ReplicatedPostgres.create() : undefined;
  if (replicated) {
    process.env.BENCH_DATABASE_ADMIN_URL = replicated.primaryUrl.replace(/\/[^/]*$/, '/postgres');
  }
  const databaseUrl = await prepareBenchDatabase('agentic_fleet', { ownDatabase: true });
  const replicaEnv: Record<string, string> = replicated
    ? {
        DATABASE__REPLICA_URLS: databaseUrl.replace(
          `:${replicated.primaryPort}/`,
          `:${replicated.replicaPort}/`,
        ),
      }
    : {};
  log('building dist/ (skipped when up to date)...');
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'build-if-stale.mjs')], {
    stdio: 'inherit',
  });
  const redis = await startTopology(TOPOLOGY);
  const admin = fleetBearer('admin');
  const agentId = await seedFleetAgent(databaseUrl);
  const env = {
    ...redis.env,
    REDIS__KEY_PREFIX: FLEET_KEY_PREFIX,
    LOG_LEVEL: 'warn',
    DATABASE__URL: databaseUrl,
    ...replicaEnv,
  };
  const figures: Figure[] = [];
  try {
    for (const lock of ['true', 'false']) {
      log(`fleet with CACHING__LOCK=${lock}: 3 API processes, 2 workers...`);
      await withFleet({ ...env, CACHING__LOCK: lock }, async (fleet) => {
        log(`  ${WRITES} writes on api-a, reads on api-b and api-c...`);
        figures.push(await invalidationFigure(fleet, lock, agentId, admin));
        log(`  ${COLD} cold requests over 3 pods...`);
        figures.push(await singleFlightFigure(fleet, lock, admin));
        if (lock === 'true') {
          log(`  ${TASKS} tasks through the API pods...`);
          figures.push(await jobSpreadFigure(fleet, admin));
        }
        if (replicated) {
          figures.push(await readTargetsFigure(fleet));
        }
        if (lock === 'false' && redis.failover) {
          log(`  primary killed under ${RATE} req/s with ${TASKS} tasks enqueued around it...`);
          figures.push(...(await failoverFigures(fleet, redis.failover, admin)));
        }
      });
    }
  } finally {
    await redis.stop();
    await replicated?.destroy();
  }
  const at = new Date().toISOString();
  const report = [
    `fleet report ${at}: ${TOPOLOGY} Redis, ${replicated ? 'a PostgreSQL primary and a streaming replica' : 'one PostgreSQL'}, 3 API processes + 2 workers (dist/)`,
    '| figure | measured | goal |',
    '| --- | --- | --- |',
    ...figures.map(({ figure, value, goal }) => `| ${figure} | ${value} | ${goal} |`),
  ].join('\n');
  process.stdout.write(`${report}\n`);
  writeFileSync(
    join(__dirname, 'results', `fleet-${TOPOLOGY}${replicated ? '-replicas' : ''}.json`),
    `${JSON.stringify({ at, topology: TOPOLOGY, replicas: Boolean(replicated), figures }, null, 2)}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    log(`fleet failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
