import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import request from 'supertest';
import { ResponseCacheService } from '../../../src/caching';
import { DOCUMENTS_QUEUE, PROCESSING_ATTEMPTS } from '../../../src/documents/document.constants';
import { DocumentProcessor } from '../../../src/documents/document-processor';
import { DocumentsRepository } from '../../../src/documents/documents.repository';
import { getJobQueueToken, JobQueue } from '../../../src/queues';
import { deleteKeys, waitUntil } from '../../fixtures/queues/worker-process';
import { freePort } from '../../helpers/spawn-app';
import { createTestApp, TestApp } from '../../helpers/test-app';

const CONTENT = 'Queues decouple the API from slow work. Workers scale on their own. '.repeat(30);

/** Boots the app with `env` set over ours for the boot only. */
async function appWith(env: Record<string, string>): Promise<TestApp> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await createTestApp();
  } finally {
    process.env = saved;
  }
}

/** Helpers of one app and one user. */
function client(t: TestApp) {
  const { userId: _userId, ...alice } = t.auth();
  const create = async () =>
    (
      await request(t.server)
        .post('/documents')
        .set(alice)
        .send({ title: 't', content: CONTENT })
        .expect(201)
    ).body as { id: string };
  const get = async (id: string) =>
    (await request(t.server).get(`/documents/${id}`).set(alice).expect(200)).body as Record<
      string,
      unknown
    >;
  return { alice, create, get };
}

describe('Document processing that fails for good (e2e)', () => {
  // Its own Redis prefix: no other test file's worker takes these jobs (they run without the
  // failure injected here). Short backoff so the retries take milliseconds; one document after
  // another in a batch, so a batch that stopped at its first failure would show.
  const prefix = `${process.env.REDIS__KEY_PREFIX ?? 'agentic_test'}_docfail_${randomBytes(3).toString('hex')}`;
  let t: TestApp;
  let c: ReturnType<typeof client>;
  let repository: DocumentsRepository;
  let queue: JobQueue;
  let redis: Redis;
  /** Status of the document as each processing attempt saw it, by document id. */
  let seen: Map<string, string[]>;

  beforeAll(async () => {
    t = await appWith({
      REDIS__KEY_PREFIX: prefix,
      QUEUES__BACKOFF_MS: '20',
      PERFORMANCE__ENABLE_PARALLEL_PROCESSING: 'false',
    });
    c = client(t);
    repository = t.app.get(DocumentsRepository);
    queue = t.app.get<JobQueue>(getJobQueueToken(DOCUMENTS_QUEUE));
    redis = new Redis(process.env.REDIS__URL ?? 'redis://127.0.0.1:6379');
  });
  afterAll(async () => {
    await t?.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });
  afterEach(() => jest.restoreAllMocks());

  /**
   * No content makes processing throw (the chunker takes any text; one over the memory budget
   * ends `failed` without throwing), so the documents in `failing` fail where a database error
   * would: their results write. Everything around it is real: Bull's retries, the handler, the
   * SQL that marks them failed and the cache invalidation.
   */
  const failWritesOf = (failing: string[]) => {
    seen = new Map();
    const save = repository.saveProcessing.bind(repository);
    jest.spyOn(repository, 'saveProcessing').mockImplementation(async (id, md5, fields) => {
      if (!failing.includes(id)) {
        return save(id, md5, fields);
      }
      const status = (await repository.find(id))?.status ?? 'missing';
      seen.set(id, [...(seen.get(id) ?? []), status]);
      throw new Error('could not write the results');
    });
  };
  const waitForJob = (id: string, state: string) =>
    waitUntil(async () => (await queue.get(id))?.state === state, 15000, `job ${id} ${state}`);
  // The documents are settled by @OnTaskFailed just after Bull files the job as failed.
  const waitForDocument = (id: string, status: string) =>
    waitUntil(async () => (await c.get(id)).status === status, 5000, `document ${id} ${status}`);

  it('should mark a document failed after its last attempt, processing through the retries', async () => {
    const document = await c.create();
    failWritesOf([document.id]);
    const cache = t.app.get(ResponseCacheService);
    const invalidateTags = jest.spyOn(cache, 'invalidateTags');
    const invalidateByEvent = jest.spyOn(cache, 'invalidateByEvent');

    const res = await request(t.server).post(`/documents/${document.id}/process`).set(c.alice);
    expect(res.status).toBe(202);
    const taskId = (res.body as { task_id: string }).task_id;
    await waitForJob(taskId, 'failed');
    await waitForDocument(document.id, 'failed');

    // Every attempt ran, each found the document still `processing`.
    expect(seen.get(document.id)).toEqual(Array(PROCESSING_ATTEMPTS).fill('processing'));
    expect(await queue.get(taskId)).toMatchObject({
      state: 'failed',
      attempts: PROCESSING_ATTEMPTS,
      error: 'could not write the results',
    });
    expect(await c.get(document.id)).toMatchObject({
      status: 'failed',
      chunk_count: null,
      stats: { error: `processing failed ${PROCESSING_ATTEMPTS} time(s)` },
      processed_at: expect.any(String),
    });
    expect(invalidateByEvent).toHaveBeenCalledWith(`document_${document.id}_processed`);
    expect(invalidateTags).toHaveBeenCalledWith([`document:${document.id}`, 'documents']);
  });

  it('should mark only the failing documents of a batch failed, and process the others', async () => {
    const bad = await c.create();
    const good = await c.create();
    failWritesOf([bad.id]);

    const res = await request(t.server)
      .post('/documents/process')
      .set(c.alice)
      .send({ ids: [bad.id, good.id] });
    expect(res.status).toBe(202);
    await waitForJob((res.body as { task_id: string }).task_id, 'failed');
    await waitForDocument(bad.id, 'failed');

    expect(seen.get(bad.id)).toEqual(Array(PROCESSING_ATTEMPTS).fill('processing'));
    expect(await c.get(good.id)).toMatchObject({ status: 'processed', chunk_count: 3 });
  });

  it('should process a failed document again once the failure is gone', async () => {
    const document = await c.create();
    failWritesOf([document.id]);
    const first = await request(t.server).post(`/documents/${document.id}/process`).set(c.alice);
    await waitForJob((first.body as { task_id: string }).task_id, 'failed');
    await waitForDocument(document.id, 'failed');
    jest.restoreAllMocks();

    const again = await request(t.server).post(`/documents/${document.id}/process`).set(c.alice);
    await waitForJob((again.body as { task_id: string }).task_id, 'completed');

    expect(await c.get(document.id)).toMatchObject({ status: 'processed', chunk_count: 3 });
  });
});

describe('Document processing with the queue unavailable (e2e)', () => {
  // A real outage: the app's Redis is a port nothing listens on, so the enqueue times out
  // (QUEUES__ENQUEUE_TIMEOUT_MS) and the request gets 503. Postgres is the real one.
  let t: TestApp;
  let c: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await appWith({
      REDIS__URL: `redis://127.0.0.1:${await freePort()}`,
      QUEUES__ENQUEUE_TIMEOUT_MS: '50',
      QUEUES__PROCESS: 'false',
    });
    c = client(t);
  });
  afterAll(() => t?.close());

  it('should answer 503 and put a document back to the status it had', async () => {
    const pending = await c.create();
    const processed = await c.create();
    expect(await t.app.get(DocumentProcessor).process(processed.id)).toBe('processed');

    for (const document of [pending, processed]) {
      const res = await request(t.server).post(`/documents/${document.id}/process`).set(c.alice);
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
    }

    expect((await c.get(pending.id)).status).toBe('pending');
    expect(await c.get(processed.id)).toMatchObject({ status: 'processed', chunk_count: 3 });
  });

  it('should answer 503 for a batch and put each document back to the status it had', async () => {
    const pending = await c.create();
    const processed = await c.create();
    expect(await t.app.get(DocumentProcessor).process(processed.id)).toBe('processed');

    const res = await request(t.server)
      .post('/documents/process')
      .set(c.alice)
      .send({ ids: [pending.id, processed.id] });

    expect(res.status).toBe(503);
    expect((await c.get(pending.id)).status).toBe('pending');
    expect(await c.get(processed.id)).toMatchObject({ status: 'processed', chunk_count: 3 });
  });
});
