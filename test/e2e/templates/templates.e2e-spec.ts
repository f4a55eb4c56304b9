import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApp, TestApp } from '../../helpers/test-app';

/** The 400's messages mention the field. */
function expectFieldError(body: { message: unknown }, field: string): void {
  expect(body.message).toEqual(expect.arrayContaining([expect.stringContaining(field)]));
}

// The templates module is tested here; the response cache in front of GET /templates (shared by
// every test file of the run through Redis) has its own suites.
process.env.CACHING__ENABLED = 'false';

describe('TemplatesController', () => {
  let t: TestApp;
  let admin: { Authorization: string };
  let user: { Authorization: string };

  const newTemplate = (overrides: Record<string, unknown> = {}) => ({
    name: `template-${randomUUID()}`,
    description: 'Summarises long threads',
    type: 'research',
    config: { model: 'default', temperature: 0.3 },
    ...overrides,
  });

  const createTemplate = async (overrides: Record<string, unknown> = {}) =>
    (await request(t.server).post('/templates').set(admin).send(newTemplate(overrides)).expect(201))
      .body as { id: string; name: string };

  beforeAll(async () => {
    t = await createTestApp();
    admin = t.auth('admin');
    user = t.auth('user');
  });

  afterAll(async () => {
    await t.close();
  });

  describe('GET /templates', () => {
    it('should list the seeded templates without a token, ordered by name, in one SELECT', async () => {
      const { result: res, queries } = await t.recordQueries(() =>
        request(t.server).get('/templates').query({ size: '100' }).expect(200),
      );

      const names = (res.body.items as { name: string }[]).map((item) => item.name);
      expect(names).toEqual(expect.arrayContaining(['Research agent', 'Code reviewer']));
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const seeded = (res.body.items as { name: string }[]).find(
        (item) => item.name === 'Research agent',
      );
      expect(seeded).toEqual({
        id: expect.any(String),
        name: 'Research agent',
        description: expect.any(String),
        type: 'research',
        config: expect.objectContaining({ max_steps: 12 }),
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
      expect(queries.map((query) => query.kind)).toEqual(['SELECT']);
    });

    it('should answer an offset page with metadata, like every other list', async () => {
      const res = await request(t.server)
        .get('/templates')
        .query({ size: '2', 'filter[name]': 'in:Research agent,Code reviewer' })
        .expect(200);

      expect(res.body.items.map((item: { name: string }) => item.name)).toEqual([
        'Code reviewer',
        'Research agent',
      ]);
      expect(res.body.metadata).toMatchObject({
        page: 1,
        size: 2,
        total: 2,
        has_next: false,
        // The default exact count runs as capped for a caller who is not an admin.
        count_strategy: 'capped',
      });
      expect(res.headers.link).toContain('rel="first"');
    });

    it.each([
      ['size=1000000', 'size must not be greater than'],
      ['junk=1', 'unknown query parameter(s): junk'],
      ['filter[name]=regex:.*', 'filter[name] has unknown operator regex'],
      ['filter[config]=eq:x', 'filter[config] is not filterable'],
      ['count=cached', 'count must be one of exact, none'],
      ['sort_by=config', 'sort_by must be one of'],
    ])('should answer 400 to ?%s naming the parameter, running no SQL', async (query, message) => {
      const { result: res, queries } = await t.recordQueries(() =>
        request(t.server).get(`/templates?${query}`),
      );
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(message);
      expect(queries).toHaveLength(0);
    });
  });

  describe('GET /templates/:id', () => {
    it('should return one template without a token', async () => {
      const created = await createTemplate();
      const res = await request(t.server).get(`/templates/${created.id}`).expect(200);
      expect(res.body).toMatchObject({ id: created.id, name: created.name, type: 'research' });
    });

    it('should answer 404 for an unknown id and 400 naming the id for a malformed one', async () => {
      await request(t.server).get(`/templates/${randomUUID()}`).expect(404);
      const res = await request(t.server).get('/templates/not-a-uuid').expect(400);
      expectFieldError(res.body, 'id');
    });
  });

  describe('POST /templates', () => {
    it('should create a template as an admin, with defaults for optional fields', async () => {
      const name = `template-${randomUUID()}`;
      const res = await request(t.server)
        .post('/templates')
        .set(admin)
        .send({ name, type: 'coding' })
        .expect(201);
      expect(res.body).toMatchObject({ name, type: 'coding', description: null, config: {} });
    });

    it('should answer 401 without a token and 403 for a non-admin', async () => {
      await request(t.server).post('/templates').send(newTemplate()).expect(401);
      await request(t.server).post('/templates').set(user).send(newTemplate()).expect(403);
    });

    it('should answer 409 naming the field when the name is taken', async () => {
      const created = await createTemplate();
      const res = await request(t.server)
        .post('/templates')
        .set(admin)
        .send(newTemplate({ name: created.name }))
        .expect(409);
      expect(res.body.message).toMatch(/^name: /);
    });

    it.each([
      ['an unknown field', { owner: 'x' }, 'owner'],
      ['a missing name', { name: undefined }, 'name'],
      ['a wrongly typed name', { name: 42 }, 'name'],
      ['a config that is an array', { config: [1, 2] }, 'config'],
      ['a null config', { config: null }, 'config'],
      ['an oversized config', { config: { blob: 'x'.repeat(70 * 1024) } }, 'config'],
    ])('should answer 400 for %s', async (_case, overrides, field) => {
      const res = await request(t.server)
        .post('/templates')
        .set(admin)
        .send(newTemplate(overrides))
        .expect(400);
      expectFieldError(res.body, field);
    });
  });

  describe('PUT /templates/:id', () => {
    it('should change only the fields sent', async () => {
      const created = await createTemplate();
      const res = await request(t.server)
        .put(`/templates/${created.id}`)
        .set(admin)
        .send({ description: null, config: { model: 'large' } })
        .expect(200);
      expect(res.body).toMatchObject({
        name: created.name,
        type: 'research',
        description: null,
        config: { model: 'large' },
      });
      const read = await request(t.server).get(`/templates/${created.id}`).expect(200);
      expect(read.body).toEqual(res.body);
    });

    it('should answer 409 when renaming onto another template', async () => {
      const first = await createTemplate();
      const second = await createTemplate();
      await request(t.server)
        .put(`/templates/${second.id}`)
        .set(admin)
        .send({ name: first.name })
        .expect(409);
    });

    it('should answer 400 for a null name, 403 for a non-admin, 404 for an unknown id', async () => {
      const created = await createTemplate();
      const res = await request(t.server)
        .put(`/templates/${created.id}`)
        .set(admin)
        .send({ name: null })
        .expect(400);
      expectFieldError(res.body, 'name');
      await request(t.server).put(`/templates/${created.id}`).set(user).send({}).expect(403);
      await request(t.server)
        .put(`/templates/${randomUUID()}`)
        .set(admin)
        .send({ name: 'x' })
        .expect(404);
    });
  });

  describe('DELETE /templates/:id', () => {
    it('should delete as an admin and refuse anyone else', async () => {
      const created = await createTemplate();
      await request(t.server).delete(`/templates/${created.id}`).expect(401);
      await request(t.server).delete(`/templates/${created.id}`).set(user).expect(403);
      await request(t.server).delete(`/templates/${created.id}`).set(admin).expect(204);
      await request(t.server).get(`/templates/${created.id}`).expect(404);
      await request(t.server).delete(`/templates/${created.id}`).set(admin).expect(404);
    });
  });
});
