import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DocumentProcessor } from '../../../src/documents/document-processor';
import { DocumentsRepository } from '../../../src/documents/documents.repository';
import { createTestApp, TestApp } from '../../helpers/test-app';

type Headers = { Authorization: string };

const PARAGRAPH = 'Queues decouple the API from slow work. Workers scale on their own. ';

describe(DocumentProcessor.name, () => {
  let t: TestApp;
  let alice: Headers;
  let bob: Headers;

  const create = async (as: Headers, content = PARAGRAPH.repeat(60)) =>
    (await request(t.server).post('/documents').set(as).send({ title: 't', content }).expect(201))
      .body as { id: string };
  const get = async (as: Headers, id: string) =>
    (await request(t.server).get(`/documents/${id}`).set(as).expect(200)).body as Record<
      string,
      unknown
    >;
  const waitForStatus = async (as: Headers, id: string, status: string) => {
    const deadline = Date.now() + 15000;
    for (;;) {
      const body = await get(as, id);
      if (body.status === status || Date.now() > deadline) {
        return body;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    const { userId: _a, ...a } = t.auth();
    const { userId: _b, ...b } = t.auth();
    alice = a;
    bob = b;
  });
  afterAll(() => t.close());

  it('should answer 202 processing, then store the chunk count and statistics', async () => {
    const document = await create(alice);

    const res = await request(t.server).post(`/documents/${document.id}/process`).set(alice);

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'processing', doc_id: document.id });
    const done = await waitForStatus(alice, document.id, 'processed');
    expect(done).toMatchObject({
      status: 'processed',
      chunk_count: 5,
      processed_at: expect.any(String),
    });
    expect(done.stats).toMatchObject({
      chars: PARAGRAPH.length * 60,
      words: 12 * 60,
      sentences: 120,
      chunks: 5,
      avg_chunk_chars: expect.any(Number),
    });
  });

  it("should answer 404 for an unknown id or someone else's document", async () => {
    const document = await create(alice);
    expect(
      (await request(t.server).post(`/documents/${randomUUID()}/process`).set(alice)).status,
    ).toBe(404);
    expect(
      (await request(t.server).post(`/documents/${document.id}/process`).set(bob)).status,
    ).toBe(404);
    expect((await get(alice, document.id)).status).toBe('pending');
  });

  it('should not write results over content edited while processing', async () => {
    const document = await create(alice);
    const repository = t.app.get(DocumentsRepository);
    const find = repository.find.bind(repository);
    // The edit lands between the processor's read and its write.
    jest.spyOn(repository, 'find').mockImplementationOnce(async (id: string) => {
      const loaded = await find(id);
      await request(t.server)
        .put(`/documents/${id}`)
        .set(alice)
        .send({ content: 'new text' })
        .expect(200);
      return loaded;
    });

    const outcome = await t.app.get(DocumentProcessor).process(document.id);

    expect(outcome).toBe('skipped_edited');
    expect(await get(alice, document.id)).toMatchObject({
      status: 'pending',
      chunk_count: null,
      stats: null,
    });
    expect(await t.app.get(DocumentProcessor).process(document.id)).toBe('processed');
    expect(await get(alice, document.id)).toMatchObject({ status: 'processed', chunk_count: 1 });
  });

  it('should process a batch of the caller’s documents and list the others as not found', async () => {
    const mine = await Promise.all([1, 2, 3].map(() => create(alice)));
    const theirs = await create(bob);
    const ids = [...mine.map((d) => d.id), theirs.id];

    const res = await request(t.server).post('/documents/process').set(alice).send({ ids });

    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      status: 'processing',
      doc_ids: mine.map((d) => d.id),
      not_found: [theirs.id],
      task_id: expect.any(String),
    });
    for (const document of mine) {
      expect((await waitForStatus(alice, document.id, 'processed')).status).toBe('processed');
    }
    expect((await get(bob, theirs.id)).status).toBe('pending');
  });

  it('should answer 400 naming ids for a bad batch body', async () => {
    const res = await request(t.server)
      .post('/documents/process')
      .set(alice)
      .send({ ids: ['nope'] });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toContain('ids');
  });
});
