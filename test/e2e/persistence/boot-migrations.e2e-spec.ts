import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  buildDataSourceOptions,
  databaseConfig,
  MIGRATION_LOCK_KEY,
  migrateUnderLock,
  MigrationLockTimeoutError,
} from '../../../src/persistence';
import { createTestApp } from '../../helpers/test-app';
import { ADMIN_DATABASE_URL } from '../../setup/test-env';

function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function appliedMigrations(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      'SELECT name FROM migrations ORDER BY id',
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

/**
 * Boot-time migrations (DATABASE__RUN_MIGRATIONS, on for `npm start` and compose) run under the
 * same advisory lock as the migration Job: the API and the worker of a fresh compose stack, or
 * several replicas, boot at once on an empty database and each migration is applied once.
 */
describe('boot-time migrations under the migration lock (e2e)', () => {
  const names: string[] = [];

  const freshDatabase = async (): Promise<string> => {
    const name = `agentic_boot_${randomBytes(4).toString('hex')}`;
    await admin(`CREATE DATABASE ${name}`);
    names.push(name);
    return databaseUrl(name);
  };

  afterAll(async () => {
    for (const name of names) {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });

  it('should apply each migration once when four runs start together on an empty database', async () => {
    const url = await freshDatabase();
    const sources = await Promise.all(
      Array.from({ length: 4 }, () =>
        new DataSource(buildDataSourceOptions(databaseConfig(), url)).initialize(),
      ),
    );
    try {
      const runs = await Promise.allSettled(
        sources.map((source) => migrateUnderLock(source, 60_000)),
      );

      expect(
        runs.map((run) => (run.status === 'rejected' ? String(run.reason) : run.status)),
      ).toEqual(Array(4).fill('fulfilled'));
      const ran = runs.map((run) => (run as PromiseFulfilledResult<string[]>).value);
      // One run applied them all; the others waited for the lock and found nothing pending.
      expect(ran.filter((names) => names.length > 0)).toHaveLength(1);
      expect(await appliedMigrations(url)).toEqual(ran.flat());
    } finally {
      await Promise.all(sources.map((source) => source.destroy()));
    }
  });

  it('should give up with a named error when another run holds the lock past the wait', async () => {
    const url = await freshDatabase();
    const holder = new Client({ connectionString: url });
    await holder.connect();
    const source = await new DataSource(buildDataSourceOptions(databaseConfig(), url)).initialize();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);

      const outcome = await migrateUnderLock(source, 500).catch((error: unknown) => error);

      expect(outcome).toBeInstanceOf(MigrationLockTimeoutError);
      expect(await appliedMigrations(url).catch(() => [])).toEqual([]);
    } finally {
      await source.destroy();
      await holder.end();
    }
  });

  it('should boot the app on an empty database with boot-time migrations on, and be ready', async () => {
    const url = await freshDatabase();
    const saved = { url: process.env.DATABASE__URL, run: process.env.DATABASE__RUN_MIGRATIONS };
    process.env.DATABASE__URL = url;
    process.env.DATABASE__RUN_MIGRATIONS = 'true';
    const app = await createTestApp().finally(() => {
      process.env.DATABASE__URL = saved.url;
      process.env.DATABASE__RUN_MIGRATIONS = saved.run;
    });
    try {
      const ready = await request(app.server).get('/health/ready').set(app.auth('admin'));

      expect(ready.status).toBe(200);
      expect(await appliedMigrations(url)).toHaveLength(4);
    } finally {
      await app.close();
    }
  });
});
