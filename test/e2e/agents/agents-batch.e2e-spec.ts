import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgentsModule } from '../../../src/agents';
import { buildAgents, uniquePrefix } from '../../factories/agent.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

describe(`${AgentsModule.name} batch`, () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t.close();
  });

  const countByPrefix = async (prefix: string): Promise<number> => {
    const rows: Array<{ n: number }> = await db.query(
      `SELECT count(*)::int AS n FROM agents WHERE name LIKE $1`,
      [`${prefix}-%`],
    );
    return rows[0].n;
  };

  /** Creates `count` agents for the caller and returns their rows in index order. */
  const seed = async (auth: { Authorization: string }, count: number) => {
    const prefix = uniquePrefix('seed');
    await request(t.server)
      .post('/agents/batch')
      .set(auth)
      .send(buildAgents(count, prefix))
      .expect(201);
    const rows: Array<{ id: string; name: string; description: string | null }> = await db.query(
      `SELECT id, name, description FROM agents WHERE name LIKE $1
       ORDER BY substring(name FROM '[0-9]+$')::int`,
      [`${prefix}-%`],
    );
    return rows;
  };

  describe('POST /agents/batch', () => {
    it('should create 70,000 agents in one request', async () => {
      const auth = t.auth();
      const prefix = uniquePrefix('bulk');

      const { result: res, queries } = await t.recordQueries(() =>
        request(t.server).post('/agents/batch').set(auth).send(buildAgents(70_000, prefix)),
      );

      expect(res.status).toBe(201);
      expect(res.body).toEqual({ created: 70_000 });
      expect(queries.filter((q) => q.kind === 'COPY')).toHaveLength(1);
      expect(await countByPrefix(prefix)).toBe(70_000);
      const owners = await db.query(
        `SELECT DISTINCT owner_id FROM agents WHERE name LIKE $1 AND status = 'active'`,
        [`${prefix}-%`],
      );
      expect(owners).toEqual([{ owner_id: auth.userId }]);
    }, 30_000);

    it('should create a small batch with one multi-row INSERT', async () => {
      const prefix = uniquePrefix('small');

      const { result: res, queries } = await t.recordQueries(() =>
        request(t.server).post('/agents/batch').set(t.auth()).send(buildAgents(10, prefix)),
      );

      expect(res.status).toBe(201);
      expect(res.body).toEqual({ created: 10 });
      expect(queries.filter((q) => q.sql.startsWith('INSERT INTO "agents"'))).toHaveLength(1);
      expect(await countByPrefix(prefix)).toBe(10);
    });

    it('should reject the whole batch naming [5].type and write nothing', async () => {
      const prefix = uniquePrefix('invalid');
      const items: object[] = buildAgents(2000, prefix);
      items[5] = { ...items[5], type: 'nope' };

      const res = await request(t.server)
        .post('/agents/batch')
        .set(t.auth())
        .send(items)
        .expect(400);

      expect(res.body.message).toEqual([expect.stringMatching(/^\[5\]\.type must be one of/)]);
      expect(await countByPrefix(prefix)).toBe(0);
    });

    it('should name index and field of each problem, at most 20', async () => {
      const items: unknown[] = buildAgents(30, uniquePrefix('many'));
      items[1] = { ...(items[1] as object), tool_ids: [] };
      items[2] = { ...(items[2] as object), name: 'x'.repeat(201) };
      items[3] = 'not an object';
      for (let index = 4; index < 30; index++) {
        items[index] = { ...(items[index] as object), status: 'gone' };
      }

      const res = await request(t.server)
        .post('/agents/batch')
        .set(t.auth())
        .send(items)
        .expect(400);

      const messages = res.body.message as string[];
      expect(messages).toHaveLength(20);
      expect(messages.slice(0, 4)).toEqual([
        '[1].tool_ids should not exist',
        '[2].name must be shorter than or equal to 200 characters',
        '[3] must be an object',
        expect.stringMatching(/^\[4\]\.status must be one of/),
      ]);
    });

    it.each([
      ['an object', { name: 'x', type: 'task' }],
      ['an empty array', []],
    ])('should answer 400 for %s', async (_label, body) => {
      const res = await request(t.server)
        .post('/agents/batch')
        .set(t.auth())
        .send(body)
        .expect(400);

      expect(JSON.stringify(res.body.message)).toContain('body must');
    });

    it('should answer 401 without a token', async () => {
      await request(t.server).post('/agents/batch').send(buildAgents(1, 'x')).expect(401);
    });
  });

  describe('PUT /agents/batch', () => {
    it('should update 1,000 agents with exactly one UPDATE', async () => {
      const auth = t.auth();
      const rows = await seed(auth, 1000);
      const items = rows.map((row, index) =>
        index % 2 === 0
          ? { id: row.id, name: `${row.name}-renamed`, status: 'archived', description: null }
          : { id: row.id, config: { updated: true } },
      );

      const { result: res, queries } = await t.recordQueries(() =>
        request(t.server).put('/agents/batch').set(auth).send(items),
      );

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ updated: 1000 });
      expect(queries.filter((q) => q.kind === 'UPDATE')).toHaveLength(1);
      const after: Array<Record<string, unknown>> = await db.query(
        `SELECT id, name, status, description, config FROM agents WHERE id = ANY($1::uuid[])`,
        [rows.map((row) => row.id)],
      );
      const byId = new Map(after.map((row) => [row.id, row]));
      expect(byId.get(rows[0].id)).toMatchObject({
        name: `${rows[0].name}-renamed`,
        status: 'archived',
        description: null,
        config: { index: 0 },
      });
      expect(byId.get(rows[1].id)).toMatchObject({
        name: rows[1].name,
        status: 'active',
        description: rows[1].description,
        config: { updated: true },
      });
      expect(after.filter((row) => row.status === 'archived')).toHaveLength(500);
    });

    it('should answer 404 naming the index of an unknown id and update nothing', async () => {
      const auth = t.auth();
      const rows = await seed(auth, 5);
      const items = rows.map((row) => ({ id: row.id, name: 'changed' }));
      items[3] = { id: randomUUID(), name: 'changed' };

      const res = await request(t.server).put('/agents/batch').set(auth).send(items).expect(404);

      expect(res.body.message).toContain('[3]');
      const changed = await db.query(
        `SELECT 1 FROM agents WHERE id = ANY($1::uuid[]) AND name = 'changed'`,
        [rows.map((row) => row.id)],
      );
      expect(changed).toHaveLength(0);
    });

    it("should answer 404 for another user's agents, but let an admin update them", async () => {
      const rows = await seed(t.auth(), 2);
      const items = rows.map((row) => ({ id: row.id, status: 'inactive' }));

      const res = await request(t.server)
        .put('/agents/batch')
        .set(t.auth())
        .send(items)
        .expect(404);
      expect(res.body.message).toContain('[0], [1]');

      await request(t.server).put('/agents/batch').set(t.auth('admin')).send(items).expect(200);
      const updated = await db.query(
        `SELECT 1 FROM agents WHERE id = ANY($1::uuid[]) AND status = 'inactive'`,
        [rows.map((row) => row.id)],
      );
      expect(updated).toHaveLength(2);
    });

    it('should answer 400 naming the index of a duplicate id', async () => {
      const auth = t.auth();
      const [row] = await seed(auth, 1);

      const res = await request(t.server)
        .put('/agents/batch')
        .set(auth)
        .send([{ id: row.id }, { id: row.id.toUpperCase(), name: 'x' }])
        .expect(400);

      expect(res.body.message).toEqual(['[1].id duplicates [0].id']);
    });

    it.each([
      [[{ id: 'nope' }], '[0].id must be a UUID'],
      [[{ id: randomUUID(), name: null }], '[0].name must be a string'],
      [[{ id: randomUUID(), type: 'nope' }], '[0].type must be one of'],
      [[{ id: randomUUID(), owner_id: randomUUID() }], '[0].owner_id should not exist'],
      [{ id: randomUUID() }, 'body must be a JSON array'],
    ])('should answer 400 for %j', async (body, message) => {
      const res = await request(t.server).put('/agents/batch').set(t.auth()).send(body).expect(400);

      expect(JSON.stringify(res.body.message)).toContain(message);
    });
  });
});
