import { randomUUID } from 'node:crypto';
import type { ConfigType } from '@nestjs/config';
import request from 'supertest';
import { DataSource } from 'typeorm';
import {
  COUNT_CACHE,
  CursorCodec,
  mapPage,
  type PageRequest,
  paginationConfig,
  Paginator,
} from '../../../src/pagination';
import { buildLinkHeader } from '../../../src/pagination/pagination-links.interceptor';
import { parsePageRequest } from '../../../src/pagination/page-request.parser';
import { SqlReader } from '../../../src/persistence';
import { toToolResponse } from '../../../src/tools/dto/tool-response.dto';
import { ToolEntity } from '../../../src/tools/tool.entity';
import { ToolsRepository } from '../../../src/tools/tools.repository';
import { TOOLS_PAGINATION } from '../../../src/tools/tools.pagination';
import { createTestApp, TestApp } from '../../helpers/test-app';

// The list path is measured here, not the response cache.
process.env.CACHING__ENABLED = 'false';

/**
 * `paginateSource` (one prepared statement, JSON written from the rows) against the query-builder
 * path it replaces (`paginate` + entity hydration + `toToolResponse` + JSON.stringify), on the
 * same rows: every page must be the same bytes.
 */
describe('List sources (e2e)', () => {
  let t: TestApp;
  let config: ConfigType<typeof paginationConfig>;
  const prefix = `ls-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    t = await createTestApp();
    config = t.app.get(paginationConfig.KEY);
    // Strings that need escaping, NULLs, jsonb that PostgreSQL prints differently from Node
    // (spaces, 0.70, 1E2, key order), microsecond timestamps (truncated to ms, not rounded).
    await t.app.get(DataSource).query(
      `INSERT INTO tools (name, description, kind, config, created_at, updated_at)
       SELECT $1 || '-' || lpad(g::text, 2, '0') || (ARRAY['', ' "q"', E'\\\\b', E'\\n\\t', E'\\u0001é☃', ''''])[1 + g % 6],
              CASE WHEN g % 4 = 0 THEN NULL ELSE 'd, e: ' || g END,
              (ARRAY['http','function','retriever'])[1 + g % 3],
              CASE WHEN g % 5 = 0 THEN '{}'::jsonb
                   ELSE jsonb_build_object('zeta', 0.70, 'a', g, 'n', jsonb_build_array(1E2, 'x, y: z', null, true), 'nested', jsonb_build_object('k', -1.50)) END,
              timestamptz '2026-03-01 10:00:00.999999+00' + g * interval '1 minute 1.0005 second',
              timestamptz '2026-03-02 10:00:00+00' - (g % 3) * interval '1 hour'
       FROM generate_series(1, 23) AS g`,
      [prefix],
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  const scoped = (query: Record<string, string>) => ({
    'filter[name]': `like:${prefix}-*`,
    ...query,
  });

  const requestOf = (query: Record<string, string>, admin: boolean, cfg = config): PageRequest =>
    parsePageRequest(query, TOOLS_PAGINATION, cfg, t.app.get(CursorCodec), 'offset', {
      exactCount: admin,
    });

  async function oracle(paginator: Paginator, page: PageRequest): Promise<string> {
    const query = t.app.get(DataSource).getRepository(ToolEntity).createQueryBuilder('tool');
    return JSON.stringify(mapPage(await paginator.paginate(query, page), toToolResponse));
  }

  const QUERIES: Array<Record<string, string>> = [
    {},
    { size: '5' },
    { size: '5', page: '2' },
    { size: '5', page: '5' },
    { size: '5', page: '6' },
    { size: '5', page: '99' },
    { size: '23' },
    { size: '22' },
    { size: '5', count: 'none' },
    { size: '5', count: 'none', page: '5' },
    { size: '5', count: 'none', page: '9' },
    { size: '4', count: 'exact', page: '3' },
    { size: '4', count: 'exact', page: '30' },
    { sort_by: 'created_at', sort_order: 'desc', size: '6', page: '2' },
    { sort_by: 'updated_at', size: '7', page: '2' },
    { sort_by: 'id', sort_order: 'desc', size: '3', page: '4' },
    { sort_by: 'name', sort_order: 'desc', size: '9' },
    { 'filter[kind]': 'in:http,function', size: '4', page: '2' },
    { 'filter[kind]': 'nin:http', size: '4' },
    { 'filter[kind]': 'ne:http', size: '4', page: '2' },
    { 'filter[description]': 'is_null:true' },
    { 'filter[description]': 'is_null:false', size: '3', page: '2' },
    { 'filter[created_at]': 'between:2026-03-01T10:05:00Z,2026-03-01T10:15:00Z', size: '3' },
    { 'filter[created_at]': 'gte:2026-03-01 10:10:10.5+00', size: '3', page: '2' },
    { 'filter[updated_at]': 'lt:2026-03-02T10:00:00Z', size: '3' },
    { 'filter[created_at]': 'gt:2030-01-01T00:00:00Z' },
    { search: 'd, e: 1', size: '3', page: '2' },
    { search: '%_\\', size: '3' },
  ];

  it.each(QUERIES.flatMap((query) => [true, false].map((admin) => [query, admin] as const)))(
    'should give the bytes of the query-builder path for %j (admin %s)',
    async (query, admin) => {
      const paginator = t.app.get(Paginator);
      const page = requestOf(scoped(query), admin);

      const json = await paginator.paginateSource(t.app.get(ToolsRepository).listSource(), page);

      expect(json.json).toBe(await oracle(paginator, page));
      expect(JSON.stringify(json)).toBe(json.json);
    },
  );

  it.each([
    ['capped', { size: '5' }],
    ['capped', { size: '5', page: '9' }],
    ['estimate', { size: '5' }],
    ['estimate', { size: '5', page: '9' }],
    ['cached', { size: '5' }],
    ['cached', { size: '5', page: '2' }],
    ['cached', { size: '5', page: '9' }],
  ])(
    'should give the same page and metadata with a %s count beyond the cap (%j)',
    async (count, query) => {
      // A cap below the matching rows, and every strategy (tools allows exact and none only).
      const cfg = { ...config, countCap: 7 };
      const paginator = new Paginator(
        cfg,
        t.app.get(CursorCodec),
        t.app.get(SqlReader),
        t.app.get(COUNT_CACHE),
      );
      const resource = { ...TOOLS_PAGINATION, allowedCounts: undefined };
      const page = parsePageRequest(
        scoped({ ...query, count }),
        resource,
        cfg,
        t.app.get(CursorCodec),
        'offset',
      );

      const json = await paginator.paginateSource(t.app.get(ToolsRepository).listSource(), page);

      expect(json.json).toBe(await oracle(paginator, page));
      if (count === 'capped' && !('page' in query)) {
        expect(json.metadata).toMatchObject({ total: 7, total_is_approximate: true });
      }
    },
  );

  it('should answer GET /tools with those bytes, the Link header and one statement', async () => {
    const query = scoped({ size: '5', page: '2', sort_by: 'created_at' });
    const url = `/tools?${new URLSearchParams(query).toString()}`;
    const expected = await oracle(t.app.get(Paginator), requestOf(query, false));

    const { result: res, queries } = await t.recordQueries(() => request(t.server).get(url));

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).toBe(expected);
    expect(res.headers.link).toBe(
      buildLinkHeader(url, (JSON.parse(expected) as { metadata: object }).metadata),
    );
    expect(res.headers.link).toContain('rel="last"');
    expect(queries).toHaveLength(1);
  });

  it('should count in a second statement only for a page beyond the end', async () => {
    const url = `/tools?${new URLSearchParams(scoped({ size: '5', page: '9' })).toString()}`;

    const { result: res, queries } = await t.recordQueries(() => request(t.server).get(url));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [], metadata: { total: 23, has_prev: true } });
    expect(queries).toHaveLength(2);
  });

  it.each([
    ['size=0', 'size must be a positive integer'],
    ['count=estimate', 'count must be one of exact, none'],
    ['page=100000', 'page is too deep'],
  ])('should answer 400 to GET /tools?%s running no SQL', async (query, message) => {
    const { result: res, queries } = await t.recordQueries(() =>
      request(t.server).get(`/tools?${query}`),
    );

    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toContain(message);
    expect(queries).toHaveLength(0);
  });
});
