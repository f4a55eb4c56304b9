import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, databaseConfig } from '../../src/persistence';

/** Database the benchmarks use when DATABASE__URL is not set. */
export const BENCH_DATABASE = 'agentic_bench';

/** The user every bench token is issued for (agents need an existing owner). */
export const BENCH_USER_ID = 'be4c0000-0000-4000-8000-000000000001';

/** Server-level URL used to create the bench database. */
const adminUrl = (): string =>
  process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function createDatabaseIfMissing(admin: string, name: string): Promise<void> {
  const client = new Client({ connectionString: admin });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${name}`);
    }
  } finally {
    await client.end();
  }
}

/**
 * Returns the bench database URL, ready to use: DATABASE__URL when set, otherwise `name`
 * (`agentic_bench`) on the local server (created on first use). Applies pending migrations with
 * the app's data-source definition and creates the bench user. Sets DATABASE__URL for the app.
 * `npm run fleet` passes a name of its own and `ownDatabase` (it writes rows the benches would
 * then list).
 */
export async function prepareBenchDatabase(
  name = BENCH_DATABASE,
  { ownDatabase = false }: { ownDatabase?: boolean } = {},
): Promise<string> {
  let url = ownDatabase ? undefined : process.env.DATABASE__URL;
  if (!url) {
    const admin = adminUrl();
    await createDatabaseIfMissing(admin, name);
    const parsed = new URL(admin);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    process.env.DATABASE__URL = url;
  }
  const dataSource = new DataSource({
    ...buildDataSourceOptions(databaseConfig(), url),
    entities: [],
    logging: ['error'],
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
    await dataSource.query(
      `INSERT INTO users (id, email, display_name, role) VALUES ($1, $2, $3, 'admin')
       ON CONFLICT (id) DO NOTHING`,
      [BENCH_USER_ID, 'bench@example.invalid', 'Benchmark user'],
    );
  } finally {
    await dataSource.destroy();
  }
  return url;
}
