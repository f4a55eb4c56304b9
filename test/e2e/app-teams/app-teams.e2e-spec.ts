import request from 'supertest';
import { CircuitBreakerManager } from '../../../src/resilience';
import { LINK_PREVIEW_BREAKER } from '../../fixtures/app-teams/bookmarks';
import { AppTeamsApp, createAppTeamsApp } from '../../fixtures/app-teams/scenario-app';
import { startUpstream, Upstream } from '../../fixtures/resilience/upstream-server';

interface Bookmark {
  id: string;
  url: string;
  title: string;
  tag: string;
}

const PREVIEW = { title: 'Fresh title', description: 'From the preview service' };

describe('Bookmarks scenario app (app-teams guide)', () => {
  let t: AppTeamsApp;
  let preview: Upstream;
  let writer: { Authorization: string };

  const create = async (title: string, tag: string): Promise<Bookmark> => {
    const res = await request(t.server)
      .post('/bookmarks')
      .set(writer)
      .send({ url: `https://example.com/${encodeURIComponent(title)}`, title, tag });
    expect(res.status).toBe(201);
    return res.body as Bookmark;
  };
  const breaker = () => t.app.get(CircuitBreakerManager).require(LINK_PREVIEW_BREAKER);

  beforeAll(async () => {
    preview = await startUpstream();
    preview.body = PREVIEW;
    t = await createAppTeamsApp({
      BOOKMARKS__PREVIEW_URL: preview.url,
      RESILIENCE__BREAKERS__LINK_PREVIEW__FAILURE_THRESHOLD: '2',
      RESILIENCE__BREAKERS__LINK_PREVIEW__FAILURE_TIMEOUT_MS: '60000',
      RESILIENCE__BREAKERS__LINK_PREVIEW__CALL_TIMEOUT_MS: '1000',
    });
    writer = t.auth();
  });

  beforeEach(async () => {
    await preview.setMode('ok');
    breaker().reset();
  });

  afterAll(async () => {
    await t?.close();
    await preview?.close();
  });

  describe('@PageQuery / @Paginated', () => {
    it('should page a filtered list newest first, with metadata and Link', async () => {
      for (const n of [1, 2, 3, 4, 5]) {
        await create(`guide ${n}`, 'guides');
      }
      await create('other', 'paging-other');

      const first = await request(t.server).get('/bookmarks?filter[tag]=eq:guides&size=2');
      const second = await request(t.server).get('/bookmarks?filter[tag]=eq:guides&size=2&page=2');

      expect(first.status).toBe(200);
      expect(first.body.items.map((b: Bookmark) => b.title)).toEqual(['guide 5', 'guide 4']);
      expect(first.body.metadata).toMatchObject({
        page: 1,
        size: 2,
        total: 5,
        total_pages: 3,
        has_next: true,
        has_prev: false,
      });
      expect(second.body.items.map((b: Bookmark) => b.title)).toEqual(['guide 3', 'guide 2']);
      expect(second.body.metadata).toMatchObject({ page: 2, has_prev: true });
    });

    // The cache stores the Link header that @Paginated adds with the entry and replays it on hits.
    it('should send the RFC 8288 Link header on a cached list', async () => {
      for (const n of [1, 2, 3]) {
        await create(`linked ${n}`, 'linked');
      }

      const res = await request(t.server).get('/bookmarks?filter[tag]=eq:linked&size=2');

      expect(res.body.metadata.has_next).toBe(true);
      expect(res.headers.link).toContain('rel="next"');
    });

    it('should answer 400 naming a parameter the resource does not allow', async () => {
      const unknown = await request(t.server).get('/bookmarks?colour=red');
      const badOperator = await request(t.server).get('/bookmarks?filter[title]=eq:x');

      expect(unknown.status).toBe(400);
      expect(JSON.stringify(unknown.body.message)).toContain('colour');
      expect(badOperator.status).toBe(400);
      expect(JSON.stringify(badOperator.body.message)).toContain('title');
    });
  });

  describe('@CacheResponse / @InvalidateCache', () => {
    it('should answer MISS then HIT, and MISS with the new item after a write', async () => {
      await create('first note', 'cached');
      const url = '/bookmarks?filter[tag]=eq:cached';

      const miss = await request(t.server).get(url);
      const hit = await request(t.server).get(url);
      const added = await create('second note', 'cached');
      const afterWrite = await request(t.server).get(url);

      expect(miss.headers['x-cache']).toBe('MISS');
      expect(hit.headers['x-cache']).toBe('HIT');
      expect(hit.body).toEqual(miss.body);
      expect(afterWrite.headers['x-cache']).toBe('MISS');
      expect(afterWrite.body.items[0]).toMatchObject({ id: added.id, title: 'second note' });
      expect(afterWrite.body.metadata.total).toBe(2);
    });

    it('should cache one bookmark by id and drop it when it changes', async () => {
      const bookmark = await create('old title', 'by-id');

      const miss = await request(t.server).get(`/bookmarks/${bookmark.id}`);
      const hit = await request(t.server).get(`/bookmarks/${bookmark.id}`);
      await request(t.server).post(`/bookmarks/${bookmark.id}/refresh`).set(writer).expect(200);
      const afterWrite = await request(t.server).get(`/bookmarks/${bookmark.id}`);

      expect([miss.headers['x-cache'], hit.headers['x-cache']]).toEqual(['MISS', 'HIT']);
      expect(hit.body.title).toBe('old title');
      expect(afterWrite.headers['x-cache']).toBe('MISS');
      expect(afterWrite.body.title).toBe(PREVIEW.title);
    });
  });

  describe('@CircuitBreaker', () => {
    it('should answer the live preview while the dependency is up', async () => {
      const bookmark = await create('live', 'breaker');
      const before = preview.requests;

      const res = await request(t.server).get(`/bookmarks/${bookmark.id}/preview`);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'live', ...PREVIEW });
      expect(preview.requests).toBe(before + 1);
    });

    it.each(['failing', 'closed'] as const)(
      'should answer the fallback when the dependency is %s',
      async (mode) => {
        const bookmark = await create(`down ${mode}`, 'breaker');
        await preview.setMode(mode);

        const res = await request(t.server).get(`/bookmarks/${bookmark.id}/preview`);

        expect(res.status).toBe(200);
        expect(res.body).toEqual({ status: 'unavailable', title: null, description: null });
      },
    );

    it('should open after 2 failures: fallback without calling, 503 + Retry-After without fallback', async () => {
      const bookmark = await create('opens', 'breaker');
      await preview.setMode('failing');
      for (let i = 0; i < 2; i++) {
        await request(t.server).get(`/bookmarks/${bookmark.id}/preview`).expect(200);
      }
      const before = preview.requests;

      const degraded = await request(t.server).get(`/bookmarks/${bookmark.id}/preview`);
      const refused = await request(t.server).post(`/bookmarks/${bookmark.id}/refresh`).set(writer);

      expect(breaker().state).toBe('open');
      expect(degraded.body.status).toBe('unavailable');
      expect(refused.status).toBe(503);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(preview.requests).toBe(before);
    });

    it('should answer 404 for an unknown bookmark, not the fallback', async () => {
      const res = await request(t.server).get(
        '/bookmarks/00000000-0000-4000-8000-000000000000/preview',
      );

      expect(res.status).toBe(404);
    });
  });

  describe('@Task', () => {
    it('should run a digest in the background and read its result back by task id', async () => {
      await create('task one', 'digest');
      await create('task two', 'digest');
      const owner = t.auth();

      const accepted = await request(t.server).post('/bookmarks/digests').set(owner);
      const taskId = (accepted.body as { task_id: string }).task_id;
      const done = await waitFor(async () => {
        const res = await request(t.server).get(`/bookmarks/digests/${taskId}`).set(owner);
        return res.body.status === 'completed' ? res.body : undefined;
      });
      const stranger = await request(t.server).get(`/bookmarks/digests/${taskId}`).set(t.auth());

      expect(accepted.status).toBe(202);
      expect(accepted.body).toMatchObject({ task_id: expect.any(String), status: 'queued' });
      expect(done).toMatchObject({ task_id: taskId, status: 'completed', error: null });
      expect(done.result.by_tag).toMatchObject({ digest: 2 });
      expect(stranger.status).toBe(404);
    });
  });
});

/** Polls `probe` every 100 ms until it returns a value, or fails after `timeoutMs`. */
async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing within ${timeoutMs} ms`);
}
