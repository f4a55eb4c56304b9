import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../../helpers/test-app';

type Headers = { Authorization: string; userId: string };
type Query = Record<string, string>;
type ListBody = {
  items: Array<Record<string, unknown> & { id: string; owner_id: string }>;
  metadata: Record<string, unknown> & { next_cursor?: string | null; prev_cursor?: string | null };
};
type DocumentRow = {
  title?: string;
  status?: string;
  chunk_count?: number | null;
  processed_at?: string | null;
  created_at?: string;
};

const TIED_AT = '2024-03-01 12:00:00.654321+00';

/** Ids of a list response's items, in order. */
const idsOf = (body: ListBody): string[] => body.items.map((item) => item.id);

/** The link of a relation in an RFC 8288 `Link` header. */
function linkOf(header: string | undefined, rel: string): string | undefined {
  return header
    ?.split(', ')
    .find((part) => part.endsWith(`; rel="${rel}"`))
    ?.match(/^<([^>]+)>/)?.[1];
}

describe('DocumentsController lists', () => {
  let t: TestApp;
  let db: DataSource;

  /** Inserts documents of `owner` (and its users row); returns their ids in input order. */
  async function insertDocuments(owner: Headers, rows: DocumentRow[]): Promise<string[]> {
    await db.query('INSERT INTO users (id) VALUES ($1) ON CONFLICT (id) DO NOTHING', [
      owner.userId,
    ]);
    const ids: string[] = [];
    for (const [index, row] of rows.entries()) {
      const [inserted]: Array<{ id: string }> = await db.query(
        `INSERT INTO documents
           (owner_id, title, content, status, chunk_count, processed_at, created_at, updated_at)
         VALUES ($1, $2, 'secret content', $3, $4, $5, $6::timestamptz, $6::timestamptz)
         RETURNING id`,
        [
          owner.userId,
          row.title ?? `doc-${index}-${randomUUID().slice(0, 8)}`,
          row.status ?? 'pending',
          row.chunk_count ?? null,
          row.processed_at ?? null,
          row.created_at ?? new Date(Date.UTC(2024, 0, 1, 0, index)).toISOString(),
        ],
      );
      ids.push(inserted.id);
    }
    return ids;
  }

  const list = (as: Headers, path: string, query: Query, expected = 200) =>
    request(t.server).get(path).query(query).set(as).expect(expected);

  /** Follows next_cursor to the end, then prev_cursor back to the first page. */
  async function walk(as: Headers, query: Query) {
    const forward: ListBody[] = [];
    let res = await list(as, '/documents/cursor', query);
    forward.push(res.body as ListBody);
    while (forward.at(-1)?.metadata.next_cursor && forward.length < 50) {
      const cursor = forward.at(-1)?.metadata.next_cursor as string;
      res = await list(as, '/documents/cursor', { ...query, cursor });
      forward.push(res.body as ListBody);
    }
    const backward: ListBody[] = [res.body as ListBody];
    while (backward[0].metadata.prev_cursor && backward.length < 50) {
      const cursor = backward[0].metadata.prev_cursor;
      res = await list(as, '/documents/cursor', { ...query, cursor });
      backward.unshift(res.body as ListBody);
    }
    return { forward, backward };
  }

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t.close();
  });

  describe('GET /documents', () => {
    it('should return offset pages of your documents with metadata and a Link header', async () => {
      const caller = t.auth('user');
      const ids = await insertDocuments(caller, [{}, {}, {}, {}, {}]);
      const newestFirst = [...ids].reverse();

      const res = await list(caller, '/documents', { size: '2', page: '2' });

      expect(idsOf(res.body as ListBody)).toEqual(newestFirst.slice(2, 4));
      expect((res.body as ListBody).metadata).toEqual({
        page: 2,
        size: 2,
        total: 5,
        total_pages: 3,
        has_next: true,
        has_prev: true,
        // The default exact count runs as capped for a caller who is not an admin.
        count_strategy: 'capped',
        total_is_approximate: false,
      });
      expect((res.body as ListBody).items[0]).not.toHaveProperty('content');
      const header = res.headers.link;
      const pages = ['first', 'prev', 'next', 'last'].map((rel) =>
        new URL(linkOf(header, rel) ?? 'missing:', 'http://localhost').searchParams.get('page'),
      );
      expect(pages).toEqual([null, '1', '3', '3']);
      const last = await request(t.server)
        .get(linkOf(header, 'last') as string)
        .set(caller)
        .expect(200);
      expect(idsOf(last.body as ListBody)).toEqual(newestFirst.slice(4));
    });

    it('should filter, search and sort on the allow-listed fields', async () => {
      const caller = t.auth('user');
      const tag = randomUUID().slice(0, 8);
      const [report, notes, draft, failed] = await insertDocuments(caller, [
        { title: `report-${tag}`, status: 'processed', chunk_count: 12, processed_at: TIED_AT },
        { title: `notes-${tag}`, status: 'processed', chunk_count: 2, processed_at: TIED_AT },
        { title: `draft-${tag}` },
        { title: `failed-${tag}`, status: 'failed' },
      ]);

      const [legacy, byStatus, byChunks, unprocessed, byTitle, bySearch, byTitleAsc] =
        await Promise.all([
          list(caller, '/documents', { status: 'processed' }),
          list(caller, '/documents', { 'filter[status]': 'nin:processed,pending' }),
          list(caller, '/documents', { 'filter[chunk_count]': 'gte:3' }),
          list(caller, '/documents', { 'filter[processed_at]': 'is_null:true' }),
          list(caller, '/documents', { 'filter[title]': `ilike:NOTES-*` }),
          list(caller, '/documents', { search: `AFT-${tag}` }),
          list(caller, '/documents', { sort_by: 'title', sort_order: 'asc' }),
        ]);

      expect(idsOf(legacy.body as ListBody)).toEqual([notes, report]);
      expect(idsOf(byStatus.body as ListBody)).toEqual([failed]);
      expect(idsOf(byChunks.body as ListBody)).toEqual([report]);
      expect(idsOf(unprocessed.body as ListBody)).toEqual([failed, draft]);
      expect(idsOf(byTitle.body as ListBody)).toEqual([notes]);
      expect(idsOf(bySearch.body as ListBody)).toEqual([draft]);
      expect(idsOf(byTitleAsc.body as ListBody)).toEqual([draft, failed, notes, report]);
      expect((legacy.body as ListBody).items[0]).toMatchObject({
        status: 'processed',
        chunk_count: 2,
        processed_at: expect.any(String),
      });
    });

    it.each([
      ['an unknown sort field', { sort_by: 'owner_id' }, 'sort_by'],
      ['the nullable processed_at as a sort', { sort_by: 'processed_at' }, 'sort_by'],
      ['an unknown filter field', { 'filter[owner_id]': `eq:${randomUUID()}` }, 'filter[owner_id]'],
      ['a non-integer chunk count', { 'filter[chunk_count]': 'gt:many' }, 'filter[chunk_count]'],
      ['an operator the field does not allow', { 'filter[title]': 'eq:x' }, 'filter[title]'],
      ['an unknown status in the older parameter', { status: 'done' }, 'status'],
      ['a whole-table estimate', { count: 'estimate' }, 'count'],
      ['a count cached across owners', { count: 'cached' }, 'count'],
    ])(
      'should answer 400 naming the parameter for %s, running no SQL',
      async (_case, query, field) => {
        const caller = t.auth('user');

        const { result: res, queries } = await t.recordQueries(() =>
          list(caller, '/documents', query, 400),
        );

        expect(JSON.stringify(res.body.message)).toContain(field);
        expect(queries).toHaveLength(0);
      },
    );

    it('should answer 401 without a token', async () => {
      await request(t.server).get('/documents').expect(401);
      await request(t.server).get('/documents/cursor').expect(401);
    });
  });

  describe('GET /documents/cursor', () => {
    it('should walk forward and back over rows with tied created_at, each exactly once', async () => {
      const caller = t.auth('user');
      const ids = await insertDocuments(
        caller,
        Array.from({ length: 8 }, () => ({ created_at: TIED_AT })),
      );
      const expected = [...ids].sort().reverse(); // created_at ties: id desc decides

      const { forward, backward } = await walk(caller, { size: '3' });

      expect(forward.map((page) => page.items.length)).toEqual([3, 3, 2]);
      expect(forward.flatMap(idsOf)).toEqual(expected);
      expect(backward.flatMap(idsOf)).toEqual(expected);
      expect(forward.flatMap((page) => page.items)).not.toContainEqual(
        expect.objectContaining({ content: expect.anything() }),
      );
      expect(backward[0].metadata).toMatchObject({ has_prev: false, prev_cursor: null });
    });

    it('should walk ascending updated_at ties with a status filter', async () => {
      const caller = t.auth('user');
      const ids = await insertDocuments(caller, [
        ...Array.from({ length: 5 }, () => ({ status: 'failed', created_at: TIED_AT })),
        { status: 'pending', created_at: TIED_AT },
      ]);
      const failed = ids.slice(0, 5).sort();

      const { forward, backward } = await walk(caller, {
        'filter[status]': 'eq:failed',
        sort_by: 'updated_at',
        size: '2',
      });

      expect(forward.flatMap(idsOf)).toEqual(failed);
      expect(backward.flatMap(idsOf)).toEqual(failed);
    });
  });

  describe('owner scoping', () => {
    it("should never show one user's documents to another, by list, cursor, filter or search", async () => {
      const alice = t.auth('user');
      const bob = t.auth('user');
      const admin = t.auth('admin');
      const tag = randomUUID().slice(0, 8);
      const aliceIds = await insertDocuments(alice, [
        { title: `shared-${tag}`, created_at: TIED_AT },
        { title: `shared-${tag}`, created_at: TIED_AT, status: 'processed' },
      ]);
      const [bobId] = await insertDocuments(bob, [{ title: `shared-${tag}` }]);
      const byIds = { 'filter[id]': `in:${[...aliceIds, bobId].join(',')}` };

      const asBob = await Promise.all([
        list(bob, '/documents', {}),
        list(bob, '/documents', byIds),
        list(bob, '/documents', { search: tag }),
        list(bob, '/documents', { status: 'processed' }),
        list(bob, '/documents/cursor', { search: tag, size: '1' }),
        list(bob, '/documents', { count: 'capped' }),
      ]);
      const bobWalk = await walk(bob, { ...byIds, size: '1' });
      const asAdmin = await list(admin, '/documents', byIds);
      const asAlice = await walk(alice, { ...byIds, size: '1' });

      for (const res of asBob) {
        expect(idsOf(res.body as ListBody).filter((id) => aliceIds.includes(id))).toEqual([]);
      }
      expect(idsOf(asBob[0].body as ListBody)).toEqual([bobId]);
      expect(idsOf(asBob[1].body as ListBody)).toEqual([bobId]);
      expect((asBob[0].body as ListBody).metadata).toMatchObject({ total: 1 });
      expect((asBob[5].body as ListBody).metadata).toMatchObject({ total: 1 });
      expect(bobWalk.forward.flatMap(idsOf)).toEqual([bobId]);
      expect(new Set(idsOf(asAdmin.body as ListBody))).toEqual(new Set([...aliceIds, bobId]));
      expect(asAlice.forward.flatMap(idsOf)).toEqual([...aliceIds].sort().reverse());
    });

    it("should not let another user's cursor reveal that user's documents", async () => {
      const alice = t.auth('user');
      const bob = t.auth('user');
      await insertDocuments(alice, [{}, {}, {}]);
      const [bobId] = await insertDocuments(bob, [{ created_at: '2023-01-01T00:00:00Z' }]);
      const first = await list(alice, '/documents/cursor', { size: '1' });

      const res = await list(bob, '/documents/cursor', {
        size: '10',
        cursor: (first.body as ListBody).metadata.next_cursor as string,
      });

      expect(idsOf(res.body as ListBody)).toEqual([bobId]);
    });
  });
});
