import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { buildAgent, buildAgents, uniquePrefix } from '../../factories/agent.factory';
import { scopedEnv } from '../../helpers/scoped-env';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { PgBouncer, pgBouncerInstalled } from '../../fixtures/persistence/pgbouncer';

// `.ci/run` installs Debian's pgbouncer when it is missing; a machine without it skips this file.
const installed = pgBouncerInstalled();
if (!installed) {
  console.warn('pgbouncer is not installed (apt-get install pgbouncer): PgBouncer e2e skipped');
}

/** The fields of the answers this file reads. */
interface Answer {
  id: string;
  items: unknown[];
  metadata: { total: number };
}

/** Concurrent API calls per round: many more client connections than PgBouncer's 2 server ones. */
const CONCURRENCY = 40;

(installed ? describe : describe.skip)('The app behind PgBouncer in transaction mode (e2e)', () => {
  const env = scopedEnv();
  let bouncer: PgBouncer;
  let t: TestApp;
  let base: string;
  let db: Client;

  const call = async (method: string, path: string, headers: object = {}, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(headers as Record<string, string>),
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Answer };
  };

  beforeAll(async () => {
    const direct = new URL(process.env.DATABASE__URL!);
    db = new Client({ connectionString: direct.toString() });
    await db.connect();
    bouncer = new PgBouncer(
      { host: direct.hostname, port: Number(direct.port || 5432) },
      [decodeURIComponent(direct.username) || 'postgres'],
      2,
    );
    await bouncer.start();
    // As the README tells operators: no named statements below PgBouncer 1.21, migrations
    // run directly against PostgreSQL (global setup did).
    env.set({
      DATABASE__URL: bouncer.urlFor(direct.toString()),
      DATABASE__PREPARED_STATEMENTS: 'false',
      DATABASE__RUN_MIGRATIONS: 'false',
      RATE_LIMIT__ENABLED: 'false',
    });
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
  }, 60_000);

  afterAll(async () => {
    await t?.close().catch(() => undefined);
    await bouncer?.stop();
    await db?.end();
    env.restore();
  });

  it('should be ready with every query going through PgBouncer on at most 2 server connections', async () => {
    const direct = new URL(process.env.DATABASE__URL!);
    const user = decodeURIComponent(direct.username) || 'postgres';
    const database = direct.pathname.slice(1);
    const before = await bouncer.poolOf(user, database);

    const ready = await call('GET', '/health/ready');
    const after = await bouncer.poolOf(user, database);

    expect(ready.status).toBe(200);
    expect(after.transactions).toBeGreaterThan(before.transactions);
    expect(after.serverConnections).toBeGreaterThanOrEqual(1);
    expect(after.serverConnections).toBeLessThanOrEqual(2);
  });

  it(`should serve ${CONCURRENCY} concurrent writes, reads, lists and cursor pages with every answer consistent`, async () => {
    const owner = t.auth();
    const prefix = uniquePrefix('bouncer');
    const created = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, index) =>
        call('POST', '/agents', owner, buildAgent({ name: `${prefix}-${index}` })),
      ),
    );
    expect(created.map((res) => res.status)).toEqual(Array(CONCURRENCY).fill(201));
    const ids = created.map((res) => res.body.id);

    const [details, updates, lists, cursors, tools] = await Promise.all([
      Promise.all(ids.map((id) => call('GET', `/agents/${id}`))),
      Promise.all(
        ids.map((id, index) =>
          call('PUT', `/agents/${id}`, owner, { name: `${prefix}-${index}-v2` }),
        ),
      ),
      Promise.all(
        ids.map(() =>
          call(
            'GET',
            `/agents?filter[name]=like:${prefix}-*&sort_by=name&sort_order=asc&count=exact&size=50`,
            owner,
          ),
        ),
      ),
      Promise.all(ids.map(() => call('GET', `/agents/cursor?size=10`, owner))),
      Promise.all(ids.map(() => call('GET', '/tools?size=20&count=exact', owner))),
    ]);

    expect(details.map((res) => res.status)).toEqual(Array(CONCURRENCY).fill(200));
    expect(updates.map((res) => res.status)).toEqual(Array(CONCURRENCY).fill(200));
    expect(
      lists.every((res) => res.status === 200 && res.body.metadata.total === CONCURRENCY),
    ).toBe(true);
    expect(cursors.every((res) => res.status === 200 && Array.isArray(res.body.items))).toBe(true);
    expect(tools.every((res) => res.status === 200)).toBe(true);
    const after = await db.query(`SELECT count(*)::int AS n FROM agents WHERE name LIKE $1`, [
      `${prefix}-%-v2`,
    ]);
    expect(after.rows[0].n).toBe(CONCURRENCY);
  });

  it('should write a COPY batch in one transaction, and roll a failing batch update back entirely', async () => {
    const owner = t.auth();
    const prefix = uniquePrefix('bouncer-batch');
    const batch = await call('POST', '/agents/batch', owner, buildAgents(2000, prefix));
    expect(batch.status).toBe(201);
    const rows = (
      await db.query<{ id: string }>(`SELECT id FROM agents WHERE name LIKE $1 ORDER BY name`, [
        `${prefix}-%`,
      ])
    ).rows;
    expect(rows).toHaveLength(2000);

    const items = rows.slice(0, 5).map((row) => ({ id: row.id, name: 'changed' }));
    items[3] = { id: randomUUID(), name: 'changed' };
    const failed = await call('PUT', '/agents/batch', owner, items);

    expect(failed.status).toBe(404);
    const changed = await db.query(
      `SELECT 1 FROM agents WHERE id = ANY($1::uuid[]) AND name = 'changed'`,
      [rows.map((row) => row.id)],
    );
    expect(changed.rows).toHaveLength(0);
  });
});
