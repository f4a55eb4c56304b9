import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createWorkflowBody, insertAgent } from '../../factories/workflow.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

type Headers = { Authorization: string; userId: string };

/** The 400's messages mention the field. */
function expectFieldError(body: { message: unknown }, field: string): void {
  expect(body.message).toEqual(expect.arrayContaining([expect.stringContaining(field)]));
}

describe('WorkflowsController', () => {
  let t: TestApp;
  let owner: Headers;
  let stranger: Headers;
  let admin: Headers;
  let agentId: string;

  const createWorkflow = async (overrides: Record<string, unknown> = {}) =>
    (
      await request(t.server)
        .post('/workflows')
        .set(owner)
        .send(createWorkflowBody(agentId, overrides))
        .expect(201)
    ).body as { id: string; name: string; agent_id: string };

  beforeAll(async () => {
    t = await createTestApp();
    owner = t.auth('user');
    stranger = t.auth('user');
    admin = t.auth('admin');
    agentId = await insertAgent(t.app.get(DataSource), owner.userId);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('POST /workflows', () => {
    it("should create a workflow on the caller's agent", async () => {
      const body = createWorkflowBody(agentId, { status: 'active' });
      const res = await request(t.server).post('/workflows').set(owner).send(body).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        agent_id: agentId,
        name: body.name,
        description: body.description,
        definition: body.definition,
        status: 'active',
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
    });

    it('should default the definition to {} and the status to draft', async () => {
      const res = await request(t.server)
        .post('/workflows')
        .set(owner)
        .send({ agent_id: agentId, name: 'minimal' })
        .expect(201);
      expect(res.body).toMatchObject({ definition: {}, status: 'draft', description: null });
    });

    it("should answer 403 on someone else's agent, but let an admin create", async () => {
      const body = createWorkflowBody(agentId);
      await request(t.server).post('/workflows').set(stranger).send(body).expect(403);
      const res = await request(t.server).post('/workflows').set(admin).send(body).expect(201);
      expect(res.body.agent_id).toBe(agentId);
    });

    it('should answer 404 for an unknown agent and 401 without a token', async () => {
      await request(t.server)
        .post('/workflows')
        .set(owner)
        .send(createWorkflowBody(randomUUID()))
        .expect(404);
      await request(t.server).post('/workflows').send(createWorkflowBody(agentId)).expect(401);
    });

    it.each([
      ['an unknown field', { priority: 1 }, 'priority'],
      ['a missing name', { name: undefined }, 'name'],
      ['an empty name', { name: '' }, 'name'],
      ['a wrongly typed name', { name: 7 }, 'name'],
      ['a malformed agent_id', { agent_id: 'agent-1' }, 'agent_id'],
      ['an unknown status', { status: 'running' }, 'status'],
      ['a definition that is a string', { definition: 'steps' }, 'definition'],
      ['a definition that is an array', { definition: [] }, 'definition'],
      ['a definition above 64 KiB', { definition: { blob: 'x'.repeat(65 * 1024) } }, 'definition'],
    ])('should answer 400 for %s', async (_case, overrides, field) => {
      const res = await request(t.server)
        .post('/workflows')
        .set(owner)
        .send(createWorkflowBody(agentId, overrides))
        .expect(400);
      expectFieldError(res.body, field);
    });
  });

  describe('GET /workflows/:id', () => {
    it('should return the workflow to any authenticated caller', async () => {
      const created = await createWorkflow();
      const res = await request(t.server).get(`/workflows/${created.id}`).set(stranger).expect(200);
      expect(res.body).toMatchObject({ id: created.id, name: created.name, agent_id: agentId });
    });

    it('should answer 404, 400 and 401 as specified', async () => {
      await request(t.server).get(`/workflows/${randomUUID()}`).set(owner).expect(404);
      const res = await request(t.server).get('/workflows/123').set(owner).expect(400);
      expectFieldError(res.body, 'id');
      await request(t.server).get(`/workflows/${randomUUID()}`).expect(401);
    });
  });

  describe('PUT /workflows/:id', () => {
    it('should change only the fields sent', async () => {
      const created = await createWorkflow();
      const res = await request(t.server)
        .put(`/workflows/${created.id}`)
        .set(owner)
        .send({ status: 'paused', definition: { steps: ['a'] } })
        .expect(200);
      expect(res.body).toMatchObject({
        name: created.name,
        status: 'paused',
        definition: { steps: ['a'] },
      });
      const read = await request(t.server).get(`/workflows/${created.id}`).set(owner).expect(200);
      expect(read.body).toEqual(res.body);
    });

    it("should answer 403 to a stranger and let an admin change someone else's workflow", async () => {
      const created = await createWorkflow();
      await request(t.server)
        .put(`/workflows/${created.id}`)
        .set(stranger)
        .send({ name: 'mine now' })
        .expect(403);
      const res = await request(t.server)
        .put(`/workflows/${created.id}`)
        .set(admin)
        .send({ name: 'renamed by admin' })
        .expect(200);
      expect(res.body.name).toBe('renamed by admin');
    });

    it.each([
      ['agent_id (not changeable)', { agent_id: randomUUID() }, 'agent_id'],
      ['a null name', { name: null }, 'name'],
      ['a null definition', { definition: null }, 'definition'],
      ['an unknown status', { status: 'done' }, 'status'],
    ])('should answer 400 for %s', async (_case, body, field) => {
      const created = await createWorkflow();
      const res = await request(t.server)
        .put(`/workflows/${created.id}`)
        .set(owner)
        .send(body)
        .expect(400);
      expectFieldError(res.body, field);
    });

    it('should answer 404 for an unknown id and 401 without a token', async () => {
      await request(t.server)
        .put(`/workflows/${randomUUID()}`)
        .set(owner)
        .send({ name: 'x' })
        .expect(404);
      await request(t.server).put(`/workflows/${randomUUID()}`).send({ name: 'x' }).expect(401);
    });
  });

  describe('DELETE /workflows/:id', () => {
    it('should delete for the owner only', async () => {
      const created = await createWorkflow();
      await request(t.server).delete(`/workflows/${created.id}`).expect(401);
      await request(t.server).delete(`/workflows/${created.id}`).set(stranger).expect(403);
      await request(t.server).get(`/workflows/${created.id}`).set(owner).expect(200);
      await request(t.server).delete(`/workflows/${created.id}`).set(owner).expect(204);
      await request(t.server).get(`/workflows/${created.id}`).set(owner).expect(404);
      await request(t.server).delete(`/workflows/${created.id}`).set(owner).expect(404);
    });

    it("should let an admin delete someone else's workflow", async () => {
      const created = await createWorkflow();
      await request(t.server).delete(`/workflows/${created.id}`).set(admin).expect(204);
    });
  });
});
