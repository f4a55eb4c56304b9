import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createDocumentBody } from '../../factories/document.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

type Headers = { Authorization: string; userId: string };
type DocumentBody = { id: string; title: string; content: string; status: string };

/** The 400's messages mention the field. */
function expectFieldError(body: { message: unknown }, field: string): void {
  expect(body.message).toEqual(expect.arrayContaining([expect.stringContaining(field)]));
}

describe('DocumentsController', () => {
  let t: TestApp;
  let alice: Headers;
  let bob: Headers;
  let admin: Headers;

  const createDocument = async (as: Headers, overrides: Record<string, unknown> = {}) =>
    (
      await request(t.server)
        .post('/documents')
        .set(as)
        .send(createDocumentBody(overrides))
        .expect(201)
    ).body as DocumentBody;

  /** What processing will write later; set directly so the reset rule can be observed. */
  const markProcessed = (id: string) =>
    t.app.get(DataSource).query(
      `UPDATE documents SET status = 'processed', chunk_count = 3, stats = '{"tokens": 9}',
         processed_at = now() WHERE id = $1`,
      [id],
    );

  beforeAll(async () => {
    t = await createTestApp();
    alice = t.auth('user');
    bob = t.auth('user');
    admin = t.auth('admin');
  });

  afterAll(async () => {
    await t.close();
  });

  describe('POST /documents', () => {
    it('should store a pending document owned by a caller who has no users row yet', async () => {
      const newcomer = t.auth('user');
      const body = createDocumentBody();
      const res = await request(t.server).post('/documents').set(newcomer).send(body).expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        owner_id: newcomer.userId,
        title: body.title,
        content: body.content,
        status: 'pending',
        chunk_count: null,
        stats: null,
        processed_at: null,
        created_at: expect.any(String),
        updated_at: expect.any(String),
      });
    });

    it('should accept content of 4 MiB, above the ordinary body limit', async () => {
      const content = 'a'.repeat(4 * 1024 * 1024);
      const res = await request(t.server)
        .post('/documents')
        .set(alice)
        .send(createDocumentBody({ content }))
        .expect(201);
      expect(res.body.content).toHaveLength(content.length);
    });

    it.each([
      ['an unknown field', { owner_id: randomUUID() }, 'owner_id'],
      ['a missing title', { title: undefined }, 'title'],
      ['an empty title', { title: '' }, 'title'],
      ['a title above 300 characters', { title: 't'.repeat(301) }, 'title'],
      ['a wrongly typed title', { title: 12 }, 'title'],
      ['a missing content', { content: undefined }, 'content'],
      ['an empty content', { content: '' }, 'content'],
      ['a wrongly typed content', { content: { text: 'x' } }, 'content'],
      ['content with a NUL character', { content: 'a\u0000b' }, 'content'],
      ['content above 5 MiB', { content: 'a'.repeat(5 * 1024 * 1024 + 1) }, 'content'],
    ])('should answer 400 for %s', async (_case, overrides, field) => {
      const res = await request(t.server)
        .post('/documents')
        .set(alice)
        .send(createDocumentBody(overrides))
        .expect(400);
      expectFieldError(res.body, field);
    });

    it('should answer 401 without a token', async () => {
      await request(t.server).post('/documents').send(createDocumentBody()).expect(401);
    });
  });

  describe('GET /documents/:id', () => {
    it('should return the content to the owner and to an admin', async () => {
      const created = await createDocument(alice);
      const own = await request(t.server).get(`/documents/${created.id}`).set(alice).expect(200);
      const asAdmin = await request(t.server)
        .get(`/documents/${created.id}`)
        .set(admin)
        .expect(200);
      expect(own.body).toEqual(created);
      expect(asAdmin.body).toEqual(created);
    });

    it("should answer 404 for another user's document, as for an unknown id", async () => {
      const created = await createDocument(alice);
      const foreign = await request(t.server).get(`/documents/${created.id}`).set(bob).expect(404);
      const unknown = await request(t.server)
        .get(`/documents/${randomUUID()}`)
        .set(bob)
        .expect(404);
      expect(foreign.body.error).toBe(unknown.body.error);
    });

    it('should answer 400 naming the id for a malformed one and 401 without a token', async () => {
      const res = await request(t.server).get('/documents/abc').set(alice).expect(400);
      expectFieldError(res.body, 'id');
      await request(t.server).get(`/documents/${randomUUID()}`).expect(401);
    });
  });

  describe('PUT /documents/:id', () => {
    it('should reset the processing results when the content changes', async () => {
      const created = await createDocument(alice);
      await markProcessed(created.id);

      const res = await request(t.server)
        .put(`/documents/${created.id}`)
        .set(alice)
        .send({ content: 'Rewritten text' })
        .expect(200);

      expect(res.body).toMatchObject({
        title: created.title,
        content: 'Rewritten text',
        status: 'pending',
        chunk_count: null,
        stats: null,
        processed_at: null,
      });
      const read = await request(t.server).get(`/documents/${created.id}`).set(alice).expect(200);
      expect(read.body).toEqual(res.body);
    });

    it('should keep the processing results when only the title changes', async () => {
      const created = await createDocument(alice);
      await markProcessed(created.id);

      const res = await request(t.server)
        .put(`/documents/${created.id}`)
        .set(alice)
        .send({ title: 'Renamed' })
        .expect(200);

      expect(res.body).toMatchObject({
        title: 'Renamed',
        content: created.content,
        status: 'processed',
        chunk_count: 3,
        processed_at: expect.any(String),
      });
    });

    it('should accept new content above the ordinary body limit', async () => {
      const created = await createDocument(alice);
      const content = 'b'.repeat(2 * 1024 * 1024);
      const res = await request(t.server)
        .put(`/documents/${created.id}`)
        .set(alice)
        .send({ content })
        .expect(200);
      expect(res.body.content).toHaveLength(content.length);
    });

    it("should answer 404 to another user and let an admin edit someone else's document", async () => {
      const created = await createDocument(alice);
      await request(t.server)
        .put(`/documents/${created.id}`)
        .set(bob)
        .send({ title: 'Stolen' })
        .expect(404);
      const res = await request(t.server)
        .put(`/documents/${created.id}`)
        .set(admin)
        .send({ title: 'Moderated' })
        .expect(200);
      expect(res.body).toMatchObject({ title: 'Moderated', owner_id: alice.userId });
    });

    it.each([
      ['a null title', { title: null }, 'title'],
      ['an empty content', { content: '' }, 'content'],
      ['a status (not writable)', { status: 'processed' }, 'status'],
    ])('should answer 400 for %s', async (_case, body, field) => {
      const created = await createDocument(alice);
      const res = await request(t.server)
        .put(`/documents/${created.id}`)
        .set(alice)
        .send(body)
        .expect(400);
      expectFieldError(res.body, field);
    });

    it('should answer 401 without a token', async () => {
      await request(t.server).put(`/documents/${randomUUID()}`).send({ title: 'x' }).expect(401);
    });
  });

  describe('DELETE /documents/:id', () => {
    it('should delete for the owner and answer 404 to anyone else', async () => {
      const created = await createDocument(alice);
      await request(t.server).delete(`/documents/${created.id}`).expect(401);
      await request(t.server).delete(`/documents/${created.id}`).set(bob).expect(404);
      await request(t.server).get(`/documents/${created.id}`).set(alice).expect(200);
      await request(t.server).delete(`/documents/${created.id}`).set(alice).expect(204);
      await request(t.server).get(`/documents/${created.id}`).set(alice).expect(404);
    });

    it("should let an admin delete someone else's document", async () => {
      const created = await createDocument(alice);
      await request(t.server).delete(`/documents/${created.id}`).set(admin).expect(204);
      await request(t.server).get(`/documents/${created.id}`).set(alice).expect(404);
    });
  });
});
