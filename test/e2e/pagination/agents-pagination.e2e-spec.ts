import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { uniquePrefix } from '../../factories/agent.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

interface AgentItem {
  id: string;
  name: string;
  status: string;
  type: string;
  created_at: string;
}

/** Inserts agents directly, `count` rows sharing `distinct` created_at values (microseconds). */
async function insertTied(
  dataSource: DataSource,
  prefix: string,
  count: number,
  distinct: number,
  // SQL for the first timestamp; the memory test needs rows among the newest.
  base = "timestamptz '2026-03-01 10:00:00.000001+00'",
) {
  await dataSource.query(
    `INSERT INTO agents (name, type, status, created_at, updated_at)
     SELECT $1 || '-' || lpad(g::text, 4, '0'),
            (ARRAY['conversational','task','research','coding','orchestrator'])[1 + g % 5],
            (ARRAY['active','inactive','archived'])[1 + g % 3],
            ${base} + ((g % $3) * interval '1 microsecond'),
            timestamptz '2026-03-01 10:00:00+00'
     FROM generate_series(1, $2) AS g`,
    [prefix, count, distinct],
  );
}

// Pagination is measured here, not the response cache in front of it.
process.env.CACHING__ENABLED = 'false';

describe('Agents pagination (e2e)', () => {
  let t: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    t = await createTestApp();
    dataSource = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t.close();
  });

  async function walk(path: string, query: Record<string, string>) {
    const seen: string[] = [];
    let res = await request(t.server).get(path).query(query).expect(200);
    seen.push(...res.body.items.map((a: AgentItem) => a.id));
    let pages = 1;
    while (res.body.metadata.next_cursor && pages < 500) {
      res = await request(t.server)
        .get(path)
        .query({ ...query, cursor: res.body.metadata.next_cursor })
        .expect(200);
      seen.push(...res.body.items.map((a: AgentItem) => a.id));
      pages++;
    }
    const back: string[] = [...res.body.items.map((a: AgentItem) => a.id)].reverse();
    while (res.body.metadata.prev_cursor && pages < 1000) {
      res = await request(t.server)
        .get(path)
        .query({ ...query, cursor: res.body.metadata.prev_cursor })
        .expect(200);
      back.push(...[...res.body.items].reverse().map((a: AgentItem) => a.id));
      pages++;
    }
    return { forward: seen, backward: back };
  }

  describe('GET /agents/cursor', () => {
    it.each([
      [{ size: '7' }],
      [{ size: '7', sort_order: 'asc' }],
      [{ size: '5', sort_by: 'updated_at' }],
      [{ size: '6', sort_by: 'name', sort_order: 'desc' }],
      [{ size: '4', 'filter[status]': 'in:active,archived' }],
    ])(
      'should walk 100 rows sharing 10 microsecond timestamps forward and backward exactly once (%j)',
      async (extra: Record<string, string>) => {
        const prefix = uniquePrefix('ties');
        await insertTied(dataSource, prefix, 100, 10);
        const query = { 'filter[name]': `like:${prefix}-*`, ...extra };
        const expected: Array<{ id: string }> = await dataSource.query(
          `SELECT id FROM agents WHERE name LIKE $1 ${extra['filter[status]'] ? "AND status IN ('active','archived')" : ''}`,
          [`${prefix}-%`],
        );
        const { forward, backward } = await walk('/agents/cursor', query);
        expect(new Set(forward).size).toBe(forward.length);
        expect(new Set(forward)).toEqual(new Set(expected.map((r) => r.id)));
        expect(backward).toEqual([...forward].reverse());
      },
    );

    it('should reject a cursor reused with another filter', async () => {
      const prefix = uniquePrefix('foreign');
      await insertTied(dataSource, prefix, 10, 2);
      const first = await request(t.server)
        .get('/agents/cursor')
        .query({ size: '3', 'filter[name]': `like:${prefix}-*` })
        .expect(200);
      const res = await request(t.server)
        .get('/agents/cursor')
        .query({
          size: '3',
          'filter[status]': 'eq:active',
          cursor: first.body.metadata.next_cursor,
        })
        .expect(400);
      expect(JSON.stringify(res.body.message)).toMatch(/cursor: was issued for another/);
    });

    it('should use one row-value comparison on the (created_at, id) index', async () => {
      const { queries } = await t.recordQueries(() =>
        request(t.server).get('/agents/cursor').query({ size: '5' }).expect(200),
      );
      expect(queries).toHaveLength(1);
      const plan: Array<{ 'QUERY PLAN': string }> = await dataSource.query(
        `EXPLAIN SELECT id FROM agents
         WHERE (created_at, id) < ('2026-03-01 10:00:00.000005+00'::timestamptz, '00000000-0000-0000-0000-000000000000'::uuid)
         ORDER BY created_at DESC, id DESC LIMIT 6`,
      );
      await dataSource.query('SET enable_seqscan = on');
      expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toMatch(
        /Index (Only )?Scan.*agents_created_at_id_idx/,
      );
    });
  });

  describe('GET /agents', () => {
    it('should page with filters, metadata and an RFC 8288 Link header', async () => {
      const prefix = uniquePrefix('offset');
      await insertTied(dataSource, prefix, 30, 30);
      const res = await request(t.server)
        .get('/agents')
        .query({
          'filter[name]': `like:${prefix}-*`,
          'filter[type]': 'eq:task',
          size: '2',
          page: '2',
          sort_by: 'name',
          sort_order: 'asc',
        })
        .expect(200);
      expect(res.body.items.map((a: AgentItem) => a.name)).toEqual([
        `${prefix}-0011`,
        `${prefix}-0016`,
      ]);
      expect(res.body.metadata).toEqual({
        page: 2,
        size: 2,
        total: 6,
        total_pages: 3,
        has_next: true,
        has_prev: true,
        count_strategy: 'cached',
        total_is_approximate: false,
      });
      expect(res.headers.link).toContain('rel="next"');
      expect(res.headers.link).toContain('page=3');
      expect(res.headers.link).toContain('rel="last"');
    });

    it.each(['exact', 'capped', 'estimate', 'none'])(
      'should report the %s count strategy in metadata',
      async (count) => {
        const prefix = uniquePrefix('count');
        await insertTied(dataSource, prefix, 12, 12);
        // As an admin: count=exact runs as capped for anyone else (count-access.e2e-spec.ts).
        const res = await request(t.server)
          .get('/agents')
          .query({ 'filter[name]': `like:${prefix}-*`, size: '5', count })
          .set('Authorization', t.auth('admin').Authorization)
          .expect(200);
        expect(res.body.metadata.count_strategy).toBe(count);
        if (count === 'exact' || count === 'capped') {
          expect(res.body.metadata.total).toBe(12);
        }
        if (count === 'none') {
          expect(res.body.metadata.total).toBeNull();
          expect(res.body.metadata.has_next).toBe(true);
        }
      },
    );

    it('should serve a cached count from Redis and drop it when an agent is written', async () => {
      const prefix = uniquePrefix('cached');
      await insertTied(dataSource, prefix, 8, 8);
      const query = { 'filter[name]': `like:${prefix}-*`, size: '3', count: 'cached' };
      const first = await request(t.server).get('/agents').query(query).expect(200);
      expect(first.body.metadata.total).toBe(8);
      // A row added behind the API's back is not seen while the cached count lives...
      await insertTied(dataSource, prefix, 1, 1);
      const { result: cached, queries } = await t.recordQueries(() =>
        request(t.server).get('/agents').query(query).expect(200),
      );
      expect(cached.body.metadata.total).toBe(8);
      expect(queries).toHaveLength(1);
      // ...and a write through the API invalidates every cached agents count.
      await request(t.server)
        .post('/agents')
        .set(t.auth())
        .send({ name: `${prefix}-api`, type: 'task' })
        .expect(201);
      const fresh = await request(t.server).get('/agents').query(query).expect(200);
      expect(fresh.body.metadata.total).toBe(10);
    });

    it('should run one statement for a short page (the total comes for free)', async () => {
      const prefix = uniquePrefix('short');
      await insertTied(dataSource, prefix, 3, 3);
      const { queries } = await t.recordQueries(() =>
        request(t.server)
          .get('/agents')
          .query({ 'filter[name]': `like:${prefix}-*`, count: 'exact' })
          .expect(200),
      );
      expect(queries).toHaveLength(1);
    });

    it('should point deep offsets to the cursor endpoint', async () => {
      const res = await request(t.server)
        .get('/agents')
        .query({ page: '1000', size: '100' })
        .expect(400);
      expect(JSON.stringify(res.body.message)).toContain('/agents/cursor');
    });
  });

  describe('GET /agents/memory', () => {
    it('should page the in-memory snapshot with the same filters', async () => {
      const prefix = uniquePrefix('memory');
      // Among the newest rows (the snapshot holds the newest 10,000, other tests add many).
      await insertTied(dataSource, prefix, 9, 9, "now() + interval '1 day'");
      // A write through the API drops the snapshot so the new rows are visible.
      await request(t.server)
        .post('/agents')
        .set(t.auth())
        .send({ name: `${prefix}-x`, type: 'task' })
        .expect(201);
      const res = await request(t.server)
        .get('/agents/memory')
        .query({
          'filter[name]': `like:${prefix}-*`,
          size: '4',
          sort_by: 'name',
          sort_order: 'asc',
        })
        .expect(200);
      expect(res.body.items.map((a: AgentItem) => a.name)).toEqual([
        `${prefix}-0001`,
        `${prefix}-0002`,
        `${prefix}-0003`,
        `${prefix}-0004`,
      ]);
      expect(res.body.metadata).toMatchObject({ total: 10, total_pages: 3, has_next: true });
    });
  });

  describe('abusive input', () => {
    const corpus: Array<[string, Record<string, string>]> = [
      ['/agents', { sort_by: 'password' }],
      ['/agents', { sort_by: 'name;DROP TABLE agents' }],
      ['/agents', { sort_by: '(SELECT 1)' }],
      ['/agents', { sort_by: 'description' }],
      ['/agents', { sort_order: 'sideways' }],
      ['/agents', { 'filter[config]': 'eq:x' }],
      ['/agents', { 'filter[status]': "eq:active' OR 1=1--" }],
      ['/agents', { 'filter[type]': 'like:task' }],
      ['/agents', { 'filter[owner_id]': 'eq:not-a-uuid' }],
      ['/agents', { 'filter[created_at]': 'gte:tomorrow' }],
      [
        '/agents',
        { 'filter[id]': `in:${Array.from({ length: 101 }, () => randomUUID()).join(',')}` },
      ],
      ['/agents', { size: '1000000' }],
      ['/agents', { size: '-1' }],
      ['/agents', { page: '-3' }],
      ['/agents', { page: '99999' }],
      ['/agents', { count: 'everything' }],
      ['/agents', { search: 'x'.repeat(500) }],
      ['/agents', { cursor: 'abc' }],
      ['/agents/cursor', { cursor: 'k1.e30.AAAAAAAAAAAAAAAAAAAAAA' }],
      ['/agents/cursor', { cursor: 'garbage' }],
      ['/agents/cursor', { page: '2' }],
      ['/agents/memory', { sort_by: 'config' }],
    ];

    it.each(corpus)(
      'should answer 400 to %s with abusive query #%# without running SQL',
      async (path, query) => {
        const { result, queries } = await t.recordQueries(() =>
          request(t.server).get(path).query(query),
        );
        expect(result.status).toBe(400);
        expect(JSON.stringify(result.body.message)).toMatch(
          /sort_by|sort_order|filter\[|size|page|count|search|cursor/,
        );
        expect(queries).toHaveLength(0);
      },
    );
  });

  describe('strict filter and parameter contract', () => {
    // Raw query strings: repeated parameters must reach the server as repeats.
    it.each([
      [
        'filter[name]=regex:.*',
        'filter[name] has unknown operator regex; operators: eq, ne, in, like, ilike',
      ],
      [
        'filter[name]=agent',
        'filter[name] needs operator:value; operators: eq, ne, in, like, ilike',
      ],
      [
        'filter[status]=eq:active&filter[status]=eq:archived',
        'filter[status] must be given once; combine values with in:a,b or between:low,high',
      ],
      ['size=5&size=6', 'size must be given once'],
      ['sort_by=name&sort_by=id', 'sort_by must be given once'],
      ['page=1&page=2', 'page must be given once'],
    ])('should answer 400 to /agents?%s naming the parameter', async (query, message) => {
      const { result, queries } = await t.recordQueries(() =>
        request(t.server).get(`/agents?${query}`),
      );
      expect(result.status).toBe(400);
      expect(result.body.message).toContain(message);
      expect(queries).toHaveLength(0);
    });

    it('should answer 400 to a cursor given twice', async () => {
      const res = await request(t.server).get('/agents/cursor?cursor=a&cursor=b').expect(400);
      expect(res.body.message).toContain('cursor must be given once');
    });

    it('should read everything after the operator as the value, colons included', async () => {
      const name = `${uniquePrefix('colon')}:12:30`;
      await dataSource.query(
        `INSERT INTO agents (name, type, status) VALUES ($1, 'task', 'active')`,
        [name],
      );
      const res = await request(t.server)
        .get('/agents')
        .query({ 'filter[name]': `eq:${name}` })
        .expect(200);
      expect(res.body.items.map((a: AgentItem) => a.name)).toEqual([name]);
    });
  });

  it('should document the allow-lists in OpenAPI', async () => {
    const res = await request(t.server).get('/docs-json').expect(200);
    const params: Array<{ name: string; schema?: { enum?: string[] } }> =
      res.body.paths['/agents'].get.parameters;
    expect(params.find((p) => p.name === 'sort_by')?.schema?.enum).toEqual([
      'id',
      'name',
      'created_at',
      'updated_at',
    ]);
    expect(params.map((p) => p.name)).toEqual(
      expect.arrayContaining(['filter[status]', 'filter[type]', 'count']),
    );
  });
});
