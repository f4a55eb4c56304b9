import { assertAllOk, runLoad } from '../lib/http-load';
import type { BenchContext, Measurement, Scenario } from '../lib/scenario';
import { median, sample } from '../lib/timer';

/** Rows inserted by each approach (BENCH_BATCH_ROWS overrides for quick runs). */
const ROWS = Number(process.env.BENCH_BATCH_ROWS ?? 10_000);
/** Concurrent connections sending the single inserts. */
const CONNECTIONS = 10;
/** Batch POSTs timed; the median is reported. */
const BATCH_RUNS = 3;
/** Every agent this scenario creates is named with this prefix, and removed afterwards. */
const PREFIX = 'bench-batch-insert-';

const TYPES = ['conversational', 'task', 'research', 'coding', 'orchestrator'];

/** A realistic create-agent body (~250 bytes of JSON, like the seed data). */
function agentBody(name: string, index: number) {
  const type = TYPES[index % TYPES.length];
  return {
    name,
    type,
    status: index % 10 === 0 ? 'inactive' : 'active',
    description: `Benchmark ${type} agent ${index}`,
    config: { model: 'default', temperature: 0.2, max_tokens: 1024, tools: ['web_search'] },
  };
}

async function countRows(context: BenchContext, name: string): Promise<number> {
  const rows = await context.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM agents WHERE name = $1',
    [name],
  );
  return rows[0].n;
}

async function insertOneByOne(
  context: BenchContext,
  baseUrl: string,
  headers: Record<string, string>,
) {
  const name = `${PREFIX}single`;
  // Warm up JIT, pool and caches so the timed run measures steady state.
  await runLoad({
    url: `${baseUrl}/agents`,
    method: 'POST',
    headers,
    body: JSON.stringify(agentBody(name, 0)),
    connections: CONNECTIONS,
    amount: 200,
  });
  await context.query('DELETE FROM agents WHERE name = $1', [name]);
  const load = await runLoad({
    url: `${baseUrl}/agents`,
    method: 'POST',
    headers,
    body: JSON.stringify(agentBody(name, 1)),
    connections: CONNECTIONS,
    amount: ROWS,
  });
  assertAllOk('POST /agents', load, ROWS);
  const stored = await countRows(context, name);
  if (stored !== ROWS) {
    throw new Error(`POST /agents: expected ${ROWS} rows stored, found ${stored}`);
  }
  return load;
}

async function insertBatches(
  context: BenchContext,
  baseUrl: string,
  headers: Record<string, string>,
) {
  const durations = await sample(BATCH_RUNS, async (run) => {
    const name = `${PREFIX}batch-${run}`;
    const body = JSON.stringify(Array.from({ length: ROWS }, (_, i) => agentBody(name, i)));
    const response = await fetch(`${baseUrl}/agents/batch`, { method: 'POST', headers, body });
    const payload = (await response.json()) as { created?: number };
    if (response.status !== 201 || payload.created !== ROWS) {
      throw new Error(
        `POST /agents/batch: ${response.status} ${JSON.stringify(payload).slice(0, 300)}`,
      );
    }
  });
  for (let run = 0; run < BATCH_RUNS; run++) {
    const stored = await countRows(context, `${PREFIX}batch-${run}`);
    if (stored !== ROWS) {
      throw new Error(`POST /agents/batch: expected ${ROWS} rows stored, found ${stored}`);
    }
  }
  return median(durations);
}

/** One `POST /agents/batch` of 10,000 agents vs 10,000 `POST /agents` (goal: >= 20x rows/s). */
export const scenario: Scenario = {
  name: 'batch-insert',
  description: `${ROWS} agents: one POST /agents/batch vs ${ROWS} POST /agents over ${CONNECTIONS} connections`,
  async run(context): Promise<Measurement[]> {
    const { baseUrl, headers } = await context.app();
    const auth = headers();
    await context.query(`DELETE FROM agents WHERE name LIKE '${PREFIX}%'`);
    try {
      context.log(`  ${ROWS} single inserts over ${CONNECTIONS} connections...`);
      const single = await insertOneByOne(context, baseUrl, auth);
      context.log(`  ${BATCH_RUNS} batch inserts of ${ROWS}...`);
      const batchMs = await insertBatches(context, baseUrl, auth);
      return [
        {
          metric: 'insert rows/s',
          value: ROWS / (batchMs / 1000),
          unit: 'rows/s',
          baseline: `single POST /agents, ${CONNECTIONS} connections`,
          baselineValue: ROWS / single.seconds,
          better: 'higher',
          notes:
            `goal >= 20x. batch: median of ${BATCH_RUNS} POST /agents/batch of ${ROWS} rows ` +
            `(${Math.round(batchMs)} ms); single: ${ROWS} requests, p50 ${single.p50Ms} ms, p99 ${single.p99Ms} ms`,
        },
      ];
    } finally {
      await context.query(`DELETE FROM agents WHERE name LIKE '${PREFIX}%'`);
    }
  },
};
