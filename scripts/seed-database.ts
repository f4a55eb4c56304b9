import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, type DatabaseConfig } from '../src/persistence';
import {
  SEED_AGENT_COLUMNS,
  SEED_AGENT_PREFIX,
  SEED_OWNER_ID,
  SEED_TOOL_PREFIX,
  SeedAgentGenerator,
} from './seed-rows';

/** Rows per COPY statement: outside a transaction each commits on its own, so an interrupted run keeps what it wrote. */
const COPY_CHUNK_ROWS = 100_000;
/** Bytes buffered before a chunk of COPY text is handed to the socket. */
const COPY_BUFFER_BYTES = 256 * 1024;
/** Seed agents that get tools with `--link-tools`. */
export const LINKED_AGENTS = 1000;

const SEED_AGENTS = `owner_id = $1 AND name LIKE '${SEED_AGENT_PREFIX}%'`;

/** The URL for messages: the password replaced, so it is safe to print. */
export function describeDatabase(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) {
    parsed.password = '***';
  }
  return parsed.toString();
}

/** Applies pending migrations with the app's data-source definition; returns their names. */
export async function migrate(config: DatabaseConfig, url: string): Promise<string[]> {
  // No entities: only the schema matters here, so a half-written entity cannot break seeding.
  const dataSource = new DataSource({
    ...buildDataSourceOptions(config, url),
    entities: [],
    logging: ['error'],
  });
  await dataSource.initialize();
  try {
    return (await dataSource.runMigrations()).map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}

/** Creates the seed owner user when missing (seed agents reference it). */
export async function ensureSeedOwner(client: Client): Promise<void> {
  await client.query(
    `INSERT INTO users (id, email, display_name, role) VALUES ($1, $2, $3, 'user')
     ON CONFLICT (id) DO NOTHING`,
    [SEED_OWNER_ID, 'seed-owner@example.invalid', 'Seed data owner'],
  );
}

/** Seed agents present now. */
export async function countSeedAgents(client: Client): Promise<number> {
  const result = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM agents WHERE ${SEED_AGENTS}`,
    [SEED_OWNER_ID],
  );
  return result.rows[0].n;
}

/** Deletes seed agents (their tool links cascade) and seed tools; returns the counts. */
export async function resetSeedData(client: Client): Promise<{ agents: number; tools: number }> {
  const agents = await client.query(`DELETE FROM agents WHERE ${SEED_AGENTS}`, [SEED_OWNER_ID]);
  const tools = await client.query(`DELETE FROM tools WHERE name LIKE '${SEED_TOOL_PREFIX}%'`);
  return { agents: agents.rowCount ?? 0, tools: tools.rowCount ?? 0 };
}

function* copyText(
  generator: SeedAgentGenerator,
  rows: number,
  progress: (done: number) => void,
): Generator<string> {
  let buffer = '';
  for (let row = 1; row <= rows; row++) {
    buffer += generator.nextLine();
    if (buffer.length >= COPY_BUFFER_BYTES) {
      yield buffer;
      buffer = '';
      progress(row);
    }
  }
  if (buffer) {
    yield buffer;
  }
  progress(rows);
}

/** Streams `count` generated agents into `agents` with COPY, in committed chunks. */
export async function copySeedAgents(
  client: Client,
  generator: SeedAgentGenerator,
  count: number,
  progress: (done: number) => void,
): Promise<void> {
  const sql = `COPY agents (${SEED_AGENT_COLUMNS.join(', ')}) FROM STDIN`;
  for (let offset = 0; offset < count; offset += COPY_CHUNK_ROWS) {
    const rows = Math.min(COPY_CHUNK_ROWS, count - offset);
    const text = copyText(generator, rows, (done) => progress(offset + done));
    await pipeline(Readable.from(text), client.query(copyFrom(sql)));
  }
}

/** Tops seed tools up to `wanted` (names are deterministic, so re-runs add only what is missing). */
export async function seedTools(client: Client, wanted: number): Promise<number> {
  if (wanted === 0) {
    return 0;
  }
  const result = await client.query(
    `INSERT INTO tools (name, description, kind, config)
     SELECT '${SEED_TOOL_PREFIX}' || lpad(i::text, 6, '0'),
            'Seeded tool ' || i,
            (ARRAY['function', 'http', 'retrieval', 'code'])[1 + i % 4],
            jsonb_build_object('timeout_ms', 1000 + (i % 10) * 500, 'retries', i % 4)
     FROM generate_series(0, $1::int - 1) AS i
     ON CONFLICT (name) DO NOTHING`,
    [wanted],
  );
  return result.rowCount ?? 0;
}

const FIRST_SEED_AGENTS = `SELECT id, row_number() OVER (ORDER BY name) - 1 AS r
  FROM (SELECT id, name FROM agents WHERE ${SEED_AGENTS} ORDER BY name LIMIT ${LINKED_AGENTS}) first`;
const SEED_TOOLS = `SELECT id, row_number() OVER (ORDER BY name) - 1 AS k, count(*) OVER () AS n
  FROM tools WHERE name LIKE '${SEED_TOOL_PREFIX}%'`;

/**
 * Links each of the first {@link LINKED_AGENTS} seed agents (by name) to exactly `perAgent` seed
 * tools, a different window of tools for each agent, replacing their earlier seed links.
 * Returns the links now in place.
 */
export async function linkSeedTools(client: Client, perAgent: number): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query(
      `WITH a AS (${FIRST_SEED_AGENTS}), t AS (${SEED_TOOLS})
       DELETE FROM agent_tools l USING a, t WHERE l.agent_id = a.id AND l.tool_id = t.id`,
      [SEED_OWNER_ID],
    );
    const result = await client.query(
      `WITH a AS (${FIRST_SEED_AGENTS}), t AS (${SEED_TOOLS})
       INSERT INTO agent_tools (agent_id, tool_id)
       SELECT a.id, t.id FROM a JOIN t ON (t.k - a.r % t.n + t.n) % t.n < $2::int`,
      [SEED_OWNER_ID, perAgent],
    );
    await client.query('COMMIT');
    return result.rowCount ?? 0;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}
