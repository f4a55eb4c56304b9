import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { ADMIN_DATABASE_URL } from '../../setup/test-env';

const ROOT = join(__dirname, '..', '..', '..');

/** Runs `src/migrate.ts` as the image runs `dist/migrate.js` (ts-node instead of the build). */
function runMigrate(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(ROOT, 'src', 'migrate.ts')],
      { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'info', ...env }, stdio: 'pipe' },
    );
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

function databaseUrl(name: string, password?: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  if (password) {
    url.password = password;
  }
  return url.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function appliedMigrations(url: string): Promise<Array<{ name: string }>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ name: string }>('SELECT name FROM migrations ORDER BY id')).rows;
  } finally {
    await client.end();
  }
}

describe('migrations in production (src/migrate.ts) and schema readiness', () => {
  const database = `agentic_migrate_${randomBytes(4).toString('hex')}`;
  const url = databaseUrl(database);
  let app: TestApp;

  beforeAll(async () => {
    await admin((client) => client.query(`CREATE DATABASE ${database}`));
    // The app boots on the fresh, unmigrated database with boot-time migrations off, as the
    // Kubernetes API does before its migration Job ran.
    const saved = process.env.DATABASE__URL;
    process.env.DATABASE__URL = url;
    try {
      app = await createTestApp();
    } finally {
      process.env.DATABASE__URL = saved;
    }
  });

  afterAll(async () => {
    await app?.close();
    await admin((client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  });

  const ready = () =>
    request(app.server)
      .get('/health/ready')
      .set({ Authorization: app.auth('admin').Authorization });

  it('should be unready, naming the schema check, while migrations are pending', async () => {
    const res = await ready();

    expect(res.status).toBe(503);
    expect(res.body.details.checks.database.status).toBe('up');
    expect(res.body.details.checks.schema).toMatchObject({
      status: 'down',
      required: true,
      details: {
        reason: 'migrations pending',
        pending_migration: 'WorkflowDocumentKeysetIndexes1764190004000',
      },
    });
  });

  it('should apply every migration, log their names, exit 0, and make the app ready', async () => {
    const { code, output } = await runMigrate({ DATABASE__URL: url });

    expect({ code, output }).toMatchObject({ code: 0 });
    const summary = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg: string; migrations?: string[] })
      .find((line) => line.msg === 'Migrations applied');
    const rows = await appliedMigrations(url);
    expect(rows.map(({ name }) => name)).toEqual(summary?.migrations);
    expect(rows).toHaveLength(4);
    expect(rows.at(-1)?.name).toBe('WorkflowDocumentKeysetIndexes1764190004000');

    const res = await ready();
    expect(res.status).toBe(200);
    expect(res.body.details.checks.schema.status).toBe('up');
  });

  it('should do nothing on a second run', async () => {
    const { code, output } = await runMigrate({ DATABASE__URL: url });

    expect(code).toBe(0);
    expect(output).toContain('"msg":"No pending migrations","migrations":[]');
  });

  it('should exit 1 without printing the URL or its password when the database is unreachable', async () => {
    const password = `pw-${randomBytes(6).toString('hex')}`;
    const missing = databaseUrl(`${database}_missing`, password);

    const { code, output } = await runMigrate({ DATABASE__URL: missing });

    expect(code).toBe(1);
    expect(output).toContain('Migrations failed');
    expect(output).not.toContain(password);
  });
});
