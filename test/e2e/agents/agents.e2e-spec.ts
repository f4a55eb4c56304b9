import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AgentsModule } from '../../../src/agents';
import { buildAgent, uniquePrefix } from '../../factories/agent.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

describe(AgentsModule.name, () => {
  let t: TestApp;
  let db: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t.close();
  });

  const createAgent = async (auth = t.auth(), body = buildAgent()): Promise<AgentJson> =>
    (await request(t.server).post('/agents').set(auth).send(body).expect(201)).body as AgentJson;

  const createTools = async (count: number): Promise<string[]> => {
    const prefix = uniquePrefix('tool');
    const rows: Array<{ id: string }> = await db.query(
      `INSERT INTO tools (name) SELECT $1 || '-' || g FROM generate_series(1, $2::int) g RETURNING id`,
      [prefix, count],
    );
    return rows.map((row) => row.id);
  };

  describe('POST /agents', () => {
    it('should create an agent owned by the caller with defaults', async () => {
      const auth = t.auth();
      const body = buildAgent({ description: undefined, config: undefined });

      const created = await createAgent(auth, body);

      expect(created).toEqual({
        id: expect.any(String),
        name: body.name,
        type: body.type,
        status: 'active',
        description: null,
        config: {},
        owner_id: auth.userId,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
    });

    it('should attach existing tools', async () => {
      const toolIds = await createTools(3);

      const created = await createAgent(t.auth(), buildAgent({ tool_ids: toolIds }));

      const detail = await request(t.server).get(`/agents/${created.id}`).expect(200);
      const tools = detail.body.tools as Array<{ id: string }>;
      expect(tools.map((tool) => tool.id).sort()).toEqual([...toolIds].sort());
    });

    it('should answer 400 naming tool_ids and the unknown ids, and write nothing', async () => {
      const [known] = await createTools(1);
      const unknown = randomUUID();
      const body = buildAgent({ tool_ids: [known, unknown] });

      const res = await request(t.server).post('/agents').set(t.auth()).send(body).expect(400);

      expect(JSON.stringify(res.body.message)).toContain('tool_ids');
      expect(JSON.stringify(res.body.message)).toContain(unknown);
      const rows = await db.query('SELECT 1 FROM agents WHERE name = $1', [body.name]);
      expect(rows).toHaveLength(0);
    });

    it.each([
      [{ ...buildAgent(), name: '' }, 'name'],
      [{ ...buildAgent(), name: 'x'.repeat(201) }, 'name'],
      [{ ...buildAgent(), name: 7 }, 'name'],
      [{ ...buildAgent(), type: 'nope' }, 'type'],
      [{ ...buildAgent(), status: null }, 'status'],
      [{ ...buildAgent(), description: 'x'.repeat(10001) }, 'description'],
      [{ ...buildAgent(), config: 'yes' }, 'config'],
      [{ ...buildAgent(), tool_ids: ['not-a-uuid'] }, 'tool_ids'],
      [{ ...buildAgent(), tool_ids: Array.from({ length: 101 }, () => randomUUID()) }, 'tool_ids'],
      [{ ...buildAgent(), owner_id: randomUUID() }, 'owner_id'],
    ])('should answer 400 naming the field for %#', async (body, field) => {
      const res = await request(t.server).post('/agents').set(t.auth()).send(body).expect(400);

      expect(JSON.stringify(res.body.message)).toContain(field);
    });

    it('should answer 400 for malformed JSON', async () => {
      const res = await request(t.server)
        .post('/agents')
        .set(t.auth())
        .set('Content-Type', 'application/json')
        .send('{"name": "x",')
        .expect(400);
      expect(res.body.message).toMatch(/JSON/);
    });

    it('should answer 401 without a token', async () => {
      await request(t.server).post('/agents').send(buildAgent()).expect(401);
    });
  });

  describe('GET /agents', () => {
    it('should list the newest agents first, at most size', async () => {
      const created = await createAgent();

      const res = await request(t.server).get('/agents?size=100').expect(200);

      const items: Array<{ id: string; created_at: string }> = res.body.items;
      expect(items.length).toBeLessThanOrEqual(100);
      expect(items.map((item) => item.id)).toContain(created.id);
      const times = items.map((item) => Date.parse(item.created_at));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it('should default to 20 items', async () => {
      await request(t.server)
        .post('/agents/batch')
        .set(t.auth())
        .send(buildAgentsFor(21))
        .expect(201);

      const res = await request(t.server).get('/agents').expect(200);

      expect(res.body.items).toHaveLength(20);
    });

    it('should send the RFC 8288 Link header on the cached list, on the miss and on the hit', async () => {
      await createAgent();
      await createAgent();

      const first = await request(t.server).get('/agents?size=1').expect(200);
      const hit = await request(t.server).get('/agents?size=1').expect(200);

      expect(hit.headers['x-cache']).toBe('HIT');
      expect(hit.text).toBe(first.text);
      expect(first.headers.link).toContain('rel="next"');
      expect(hit.headers.link).toBe(first.headers.link);
    });

    it.each(['0', '101', 'abc', '1.5'])('should answer 400 for limit=%s', async (limit) => {
      const res = await request(t.server).get(`/agents?limit=${limit}`).expect(400);

      expect(JSON.stringify(res.body.message)).toContain('limit');
    });
  });

  describe('GET /agents/{id}', () => {
    it('should return tools, workflows and owner in at most 4 statements with 50 tools', async () => {
      const auth = t.auth();
      await request(t.server)
        .put('/user/profile')
        .set(auth)
        .send({ display_name: 'Owner' })
        .expect(200);
      const agent = await createAgent(auth);
      const toolIds = await createTools(50);
      await request(t.server)
        .put(`/agents/${agent.id}`)
        .set(auth)
        .send({ tool_ids: toolIds })
        .expect(200);
      await db.query(
        `INSERT INTO workflows (agent_id, name, created_at)
         VALUES ($1, 'second', now()), ($1, 'first', now() - interval '1 minute')`,
        [agent.id],
      );

      const { result: res, queries } = await t.recordQueries(() =>
        request(t.server).get(`/agents/${agent.id}`).expect(200),
      );

      expect(queries.length).toBeLessThanOrEqual(4);
      expect(res.body).toMatchObject({ id: agent.id, name: agent.name, owner_id: auth.userId });
      expect(res.body.owner).toEqual({ id: auth.userId, display_name: 'Owner' });
      expect(res.body.tools).toHaveLength(50);
      const toolNames = (res.body.tools as Array<{ name: string }>).map((tool) => tool.name);
      expect(toolNames).toEqual([...toolNames].sort());
      expect(res.body.tools[0]).toEqual({
        id: expect.any(String),
        name: expect.any(String),
        description: null,
        kind: 'function',
      });
      expect(res.body.workflows).toEqual([
        { id: expect.any(String), name: 'first', status: 'draft', created_at: expect.any(String) },
        { id: expect.any(String), name: 'second', status: 'draft', created_at: expect.any(String) },
      ]);
    });

    it('should answer 404 for an unknown id and 400 for a malformed one', async () => {
      await request(t.server).get(`/agents/${randomUUID()}`).expect(404);
      await request(t.server).get('/agents/not-a-uuid').expect(400);
    });
  });

  describe('PUT /agents/{id}', () => {
    it('should update the given fields, keep the others and bump updated_at', async () => {
      const auth = t.auth();
      const agent = await createAgent(auth);

      const res = await request(t.server)
        .put(`/agents/${agent.id}`)
        .set(auth)
        .send({ status: 'inactive', description: null })
        .expect(200);

      expect(res.body).toMatchObject({
        name: agent.name,
        type: agent.type,
        config: agent.config,
        status: 'inactive',
        description: null,
      });
      expect(Date.parse(res.body.updated_at)).toBeGreaterThan(Date.parse(agent.updated_at));
    });

    it('should replace the tool set', async () => {
      const auth = t.auth();
      const [first, second, third] = await createTools(3);
      const agent = await createAgent(auth, buildAgent({ tool_ids: [first, second] }));

      await request(t.server)
        .put(`/agents/${agent.id}`)
        .set(auth)
        .send({ tool_ids: [third, third] })
        .expect(200);

      const detail = await request(t.server).get(`/agents/${agent.id}`).expect(200);
      const tools = detail.body.tools as Array<{ id: string }>;
      expect(tools.map((tool) => tool.id)).toEqual([third]);
    });

    it('should let an admin update any agent', async () => {
      const agent = await createAgent();

      await request(t.server)
        .put(`/agents/${agent.id}`)
        .set(t.auth('admin'))
        .send({ name: 'renamed by admin' })
        .expect(200);
    });

    it('should answer 403 to another user, 404 for an unknown id, 400 for a bad field', async () => {
      const agent = await createAgent();

      await request(t.server).put(`/agents/${agent.id}`).set(t.auth()).send({}).expect(403);
      await request(t.server).put(`/agents/${randomUUID()}`).set(t.auth()).send({}).expect(404);
      const res = await request(t.server)
        .put(`/agents/${agent.id}`)
        .set(t.auth('admin'))
        .send({ name: null })
        .expect(400);
      expect(JSON.stringify(res.body.message)).toContain('name');
    });
  });

  describe('DELETE /agents/{id}', () => {
    it('should delete the agent for its owner', async () => {
      const auth = t.auth();
      const agent = await createAgent(auth);

      await request(t.server).delete(`/agents/${agent.id}`).set(auth).expect(204);

      await request(t.server).get(`/agents/${agent.id}`).expect(404);
    });

    it('should answer 403 to another user, 404 for unknown ids, 401 without a token', async () => {
      const agent = await createAgent();

      await request(t.server).delete(`/agents/${agent.id}`).set(t.auth()).expect(403);
      await request(t.server).delete(`/agents/${randomUUID()}`).set(t.auth()).expect(404);
      await request(t.server).delete(`/agents/${agent.id}`).expect(401);
      await request(t.server).get(`/agents/${agent.id}`).expect(200);
    });
  });
});

/** The fields of an agent response these tests read. */
interface AgentJson {
  id: string;
  name: string;
  type: string;
  config: Record<string, unknown>;
  updated_at: string;
}

function buildAgentsFor(count: number) {
  return Array.from({ length: count }, () => buildAgent());
}
