import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions, databaseConfig } from '../../src/persistence';
import { ADMIN_DATABASE_URL, TEST_REDIS_URL } from './test-env';

/** Creates this run's own database, applies the migrations, and picks a Redis key prefix. */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const database = `agentic_test_${runId}`;
  const admin = new Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();

  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${database}`;
  process.env.DATABASE__URL = url.toString();
  process.env.REDIS__URL ??= TEST_REDIS_URL;
  process.env.REDIS__KEY_PREFIX = `agentic_test_${runId}`;
  process.env.TEST_DATABASE_NAME = database;

  const dataSource = new DataSource(buildDataSourceOptions(databaseConfig(), url.toString()));
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
}
