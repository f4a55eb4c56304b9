import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { insertAgent } from '../../factories/workflow.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

type Headers = { Authorization: string; userId: string };
type Query = Record<string, string>;
type ListBody = {
  items: Array<{ id: string; name: string; status: string; agent_id: string }>;
  metadata: Record<string, unknown> & { next_cursor?: string | null; prev_cursor?: string | null };
};

const TIED_AT = '2024-03-01 12:00:00.123456+00';

/** Ids of a list response's items, in order. */
const idsOf = (body: ListBody): string[] => body.items.map((item) => item.id);

/** The link of a relation in an RFC 8288 `Link` header. */
function linkOf(header: string | undefined, rel: string): string | undefined {
  return header
    ?.split(', ')
    .find((part) => part.endsWith(`; rel="${rel}"`))
    ?.match(/^<([^>]+)>/)?.[1];
}

describe('WorkflowsController lists', () => {
  let t: TestApp;
  let db: DataSource;
  let caller: Headers;

  /** Inserts workflows of an agent with the given fields; returns their ids in input order. */
  async function insertWorkflows(
    agentId: string,
    rows: Array<{ name?: string; status?: string; created_at?: string }>,
  ): Promise<string[]> {
    const ids: string[] = [];
    for (const [index, row] of rows.entries()) {
      const [inserted]: Array<{ id: string }> = await db.query(
        `INSERT INTO workflows (agent_id, name, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz) RETURNING id`,
        [
          agentId,
          row.name ?? `wf-${index}-${randomUUID().slice(0, 8)}`,
          row.status ?? 'draft',
          row.created_at ?? new Date(Date.UTC(2024, 0, 1, 0, index)).toISOString(),
        ],
      );
      ids.push(inserted.id);
    }
    return ids;
  }

  const list = (path: string, query: Query, expected = 200) =>
    request(t.server).get(path).query(query).set(caller).expect(expected);

  /** Follows next_cursor to the end, then prev_cursor back to the start. */
  async function walk(query: Query) {
    const forward: string[][] = [];
    let res = await list('/workflows/cursor', query);
    forward.push(idsOf(res.body as ListBody));
    while ((res.body as ListBody).metadata.next_cursor && forward.length < 50) {
      const cursor = (res.body as ListBody).metadata.next_cursor as string;
      res = await list('/workflows/cursor', { ...query, cursor });
      forward.push(idsOf(res.body as ListBody));
    }
    // Back from the last page (included) to the first.
    const backward: string[][] = [idsOf(res.body as ListBody)];
    while ((res.body as ListBody).metadata.prev_cursor && backward.length < 50) {
      const cursor = (res.body as ListBody).metadata.prev_cursor as string;
      res = await list('/workflows/cursor', { ...query, cursor });
      backward.unshift(idsOf(res.body as ListBody));
    }
    return { forward, backward, first: res.body as ListBody };
  }

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    caller = t.auth('user');
  });

  afterAll(async () => {
    await t.close();
  });

  describe('GET /workflows', () => {
    it('should return offset pages with metadata and a Link header that can be followed', async () => {
      const agentId = await insertAgent(db, randomUUID());
      const ids = await insertWorkflows(agentId, [{}, {}, {}, {}, {}]);
      const newestFirst = [...ids].reverse();
      const query = { 'filter[agent_id]': `eq:${agentId}`, size: '2' };

      const res = await list('/workflows', { ...query, page: '2' });

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
      const header = res.headers.link;
      for (const [rel, page] of [
        ['first', null],
        ['prev', '1'],
        ['next', '3'],
        ['last', '3'],
      ] as const) {
        const url = new URL(linkOf(header, rel) ?? 'missing:', 'http://localhost');
        expect(url.pathname).toBe('/workflows');
        expect(url.searchParams.get('page')).toBe(page);
        expect(url.searchParams.get('filter[agent_id]')).toBe(`eq:${agentId}`);
      }
      const next = await request(t.server)
        .get(linkOf(header, 'next') as string)
        .set(caller)
        .expect(200);
      expect(idsOf(next.body as ListBody)).toEqual(newestFirst.slice(4));
      expect((next.body as ListBody).metadata).toMatchObject({ has_next: false, total: 5 });
    });

    it('should keep the older agent_id parameter as a shorthand for filter[agent_id]', async () => {
      const agentId = await insertAgent(db, randomUUID());
      const ids = await insertWorkflows(agentId, [{}, {}, {}]);

      const legacy = await list('/workflows', { agent_id: agentId, size: '2' });
      const bad = await list('/workflows', { agent_id: 'agent-1' }, 400);

      expect(idsOf(legacy.body as ListBody)).toEqual([ids[2], ids[1]]);
      expect((legacy.body as ListBody).metadata).toMatchObject({ total: 3, has_next: true });
      expect(JSON.stringify(bad.body.message)).toContain('agent_id');
    });

    it('should filter, search and sort on the allow-listed fields', async () => {
      const agentId = await insertAgent(db, randomUUID());
      const tag = randomUUID().slice(0, 8);
      const [alpha, beta, gamma, delta] = await insertWorkflows(agentId, [
        { name: `alpha-${tag}`, status: 'active' },
        { name: `Beta-${tag}`, status: 'paused' },
        { name: `gamma-${tag}`, status: 'archived' },
        { name: `delta-${tag}`, status: 'active' },
      ]);
      const scope = { 'filter[agent_id]': `eq:${agentId}` };

      const [byStatus, byName, bySearch, byNameAsc, byTime, excluded] = await Promise.all([
        list('/workflows', { ...scope, 'filter[status]': 'in:active,paused' }),
        list('/workflows', { ...scope, 'filter[name]': `ilike:beta-${tag}` }),
        list('/workflows', { search: `MMA-${tag}` }),
        list('/workflows', { ...scope, sort_by: 'name', sort_order: 'asc' }),
        list('/workflows', {
          ...scope,
          'filter[created_at]': 'between:2024-01-01T00:01:00Z,2024-01-01T00:02:00Z',
          sort_by: 'created_at',
          sort_order: 'asc',
        }),
        list('/workflows', { ...scope, 'filter[status]': 'nin:active,archived' }),
      ]);

      expect(idsOf(byStatus.body as ListBody)).toEqual([delta, beta, alpha]);
      expect(idsOf(byName.body as ListBody)).toEqual([beta]);
      expect(idsOf(bySearch.body as ListBody)).toEqual([gamma]);
      // Byte order of the C collation or language order: either way B < a is not assumed.
      expect(idsOf(byNameAsc.body as ListBody)).toHaveLength(4);
      expect(idsOf(byNameAsc.body as ListBody).slice(-2)).toEqual([delta, gamma]);
      expect(idsOf(byTime.body as ListBody)).toEqual([beta, gamma]);
      expect(idsOf(excluded.body as ListBody)).toEqual([beta]);
    });

    it.each([
      ['an unknown sort field', { sort_by: 'owner' }, 'sort_by'],
      ['a field that does not sort', { sort_by: 'status' }, 'sort_by'],
      ['an unknown filter field', { 'filter[owner]': 'eq:me' }, 'filter[owner]'],
      ['an operator the field does not allow', { 'filter[name]': 'gt:a' }, 'filter[name]'],
      ['an unknown status value', { 'filter[status]': 'eq:running' }, 'filter[status]'],
      ['a malformed agent id', { 'filter[agent_id]': 'eq:x' }, 'filter[agent_id]'],
      ['a count that would go stale', { count: 'cached' }, 'count'],
      ['a page size above the maximum', { size: '1000' }, 'size'],
      ['a cursor on the offset route', { cursor: 'abc' }, 'cursor'],
    ])(
      'should answer 400 naming the parameter for %s, running no SQL',
      async (_case, query, field) => {
        const { result: res, queries } = await t.recordQueries(() =>
          list('/workflows', query, 400),
        );

        expect(JSON.stringify(res.body.message)).toContain(field);
        expect(queries).toHaveLength(0);
      },
    );

    it('should point deep offsets to the cursor endpoint', async () => {
      const res = await list('/workflows', { page: '100000', size: '100' }, 400);
      expect(JSON.stringify(res.body.message)).toContain('/workflows/cursor');
    });

    it('should answer 401 without a token', async () => {
      await request(t.server).get('/workflows').expect(401);
      await request(t.server).get('/workflows/cursor').expect(401);
    });
  });

  describe('GET /workflows/cursor', () => {
    it('should walk forward and back over rows with tied created_at, each exactly once', async () => {
      const agentId = await insertAgent(db, randomUUID());
      const ids = await insertWorkflows(
        agentId,
        Array.from({ length: 7 }, () => ({ created_at: TIED_AT })),
      );
      const expected = [...ids].sort().reverse(); // created_at ties: id desc decides

      const { forward, backward, first } = await walk({
        'filter[agent_id]': `eq:${agentId}`,
        size: '3',
      });

      expect(forward.map((page) => page.length)).toEqual([3, 3, 1]);
      expect(forward.flat()).toEqual(expected);
      expect(backward.flat()).toEqual(expected);
      expect(first.metadata).toMatchObject({ has_prev: false, prev_cursor: null, has_next: true });
    });

    it('should walk ties of another sort field, with the older agent_id parameter', async () => {
      const agentId = await insertAgent(db, randomUUID());
      const ids = await insertWorkflows(
        agentId,
        Array.from({ length: 5 }, () => ({ name: 'same name', created_at: TIED_AT })),
      );

      const { forward, backward } = await walk({
        agent_id: agentId,
        sort_by: 'name',
        size: '2',
      });

      expect(forward.flat()).toEqual([...ids].sort());
      expect(backward.flat()).toEqual([...ids].sort());
    });

    it('should set cursor links and reject a cursor reused with another sort', async () => {
      const agentId = await insertAgent(db, randomUUID());
      await insertWorkflows(agentId, [{}, {}, {}]);
      const query = { 'filter[agent_id]': `eq:${agentId}`, size: '1' };

      const first = await list('/workflows/cursor', query);
      const cursor = (first.body as ListBody).metadata.next_cursor as string;
      const reused = await list('/workflows/cursor', { ...query, sort_by: 'name', cursor }, 400);
      const tampered = await list('/workflows/cursor', { ...query, cursor: `${cursor}x` }, 400);

      const next = new URL(linkOf(first.headers.link, 'next') ?? '', 'http://localhost');
      expect(next.pathname).toBe('/workflows/cursor');
      expect(next.searchParams.get('cursor')).toBe(cursor);
      expect(JSON.stringify(reused.body.message)).toContain('cursor');
      expect(JSON.stringify(tampered.body.message)).toContain('cursor');
    });
  });
});
