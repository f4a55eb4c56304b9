import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ToolsModule } from '../../../src/tools';
import { buildTool } from '../../factories/tool.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

describe(ToolsModule.name, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const createTool = async (body = buildTool()): Promise<{ id: string; name: string }> =>
    (await request(t.server).post('/tools').set(t.auth('admin')).send(body).expect(201)).body as {
      id: string;
      name: string;
    };

  it('should create, read, update and delete a tool as admin', async () => {
    const body = buildTool();

    const created = await createTool(body);
    expect(created).toEqual({
      id: expect.any(String),
      ...body,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });

    const read = await request(t.server).get(`/tools/${created.id}`).expect(200);
    expect(read.body).toEqual(created);

    const updated = await request(t.server)
      .put(`/tools/${created.id}`)
      .set(t.auth('admin'))
      .send({ description: null, kind: 'function' })
      .expect(200);
    expect(updated.body).toMatchObject({ name: body.name, description: null, kind: 'function' });

    await request(t.server).delete(`/tools/${created.id}`).set(t.auth('admin')).expect(204);
    await request(t.server).get(`/tools/${created.id}`).expect(404);
  });

  it('should default kind and config', async () => {
    const created = await createTool({ name: buildTool().name });

    expect(created).toMatchObject({ kind: 'function', config: {}, description: null });
  });

  it('should list tools publicly as offset pages, ordered by name', async () => {
    const prefix = `list-${randomUUID().slice(0, 8)}`;
    for (const suffix of ['c', 'a', 'b']) {
      await createTool(buildTool({ name: `${prefix}-${suffix}` }));
    }

    const first = await request(t.server)
      .get('/tools')
      .query({ 'filter[name]': `like:${prefix}-*`, size: '2' })
      .expect(200);
    const second = await request(t.server)
      .get('/tools')
      .query({ 'filter[name]': `like:${prefix}-*`, size: '2', page: '2' })
      .expect(200);

    const names = (page: { body: { items: Array<{ name: string }> } }) =>
      page.body.items.map((item) => item.name);
    expect(names(first)).toEqual([`${prefix}-a`, `${prefix}-b`]);
    expect(names(second)).toEqual([`${prefix}-c`]);
    expect(first.body.metadata).toMatchObject({ page: 1, size: 2, total: 3, has_next: true });
    expect(first.headers.link).toContain('rel="next"');
  });

  it.each([
    ['size=1000000', 'size must not be greater than'],
    ['limit=5', 'unknown query parameter(s): limit'],
    ['filter[name]=regex:.*', 'filter[name] has unknown operator regex'],
    ['filter[name]=eq:a&filter[name]=eq:b', 'filter[name] must be given once'],
    ['sort_by=config', 'sort_by must be one of'],
  ])(
    'should answer 400 to GET /tools?%s naming the parameter, running no SQL',
    async (query, message) => {
      const { result: res, queries } = await t.recordQueries(() =>
        request(t.server).get(`/tools?${query}`),
      );
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.message)).toContain(message);
      expect(queries).toHaveLength(0);
    },
  );

  it('should answer 409 for a taken name', async () => {
    const tool = await createTool();

    await request(t.server)
      .post('/tools')
      .set(t.auth('admin'))
      .send(buildTool({ name: tool.name }))
      .expect(409);
  });

  it('should answer 403 to a non-admin and 401 without a token', async () => {
    const tool = await createTool();

    await request(t.server).post('/tools').set(t.auth()).send(buildTool()).expect(403);
    await request(t.server).put(`/tools/${tool.id}`).set(t.auth()).send({}).expect(403);
    await request(t.server).delete(`/tools/${tool.id}`).set(t.auth()).expect(403);
    await request(t.server).post('/tools').send(buildTool()).expect(401);
  });

  it('should answer 404 for an unknown id and 400 for a malformed one', async () => {
    const unknown = randomUUID();

    await request(t.server).get(`/tools/${unknown}`).expect(404);
    await request(t.server).put(`/tools/${unknown}`).set(t.auth('admin')).send({}).expect(404);
    await request(t.server).delete(`/tools/${unknown}`).set(t.auth('admin')).expect(404);
    await request(t.server).get('/tools/not-a-uuid').expect(400);
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(101) }, 'name'],
    [{ ...buildTool(), kind: null }, 'kind'],
    [{ ...buildTool(), config: [1] }, 'config'],
    [{ ...buildTool(), owner: 'me' }, 'owner'],
  ])('should answer 400 naming the field for %j', async (body, field) => {
    const res = await request(t.server).post('/tools').set(t.auth('admin')).send(body).expect(400);

    expect(JSON.stringify(res.body.message)).toContain(field);
  });
});
