import { CursorCodec } from './cursor-codec';
import { defineListSource } from './list-source';
import { buildPageStatement, PageStatements, shapeOf } from './page-statement';
import { parsePageRequest } from './page-request.parser';
import { SAMPLE_CONFIG, SAMPLE_RESOURCE } from '../../test/fixtures/pagination/sample-resource';

const codec = new CursorCodec(SAMPLE_CONFIG.cursor.keys, 3600);
const parse = (query: Record<string, string>, count = true) =>
  parsePageRequest(query, SAMPLE_RESOURCE, SAMPLE_CONFIG, codec, 'offset', { exactCount: count });

const SOURCE = defineListSource<{ id: string; meta: object; score: number }>({
  table: 'samples',
  fields: {
    id: { column: 'id', kind: 'text' },
    meta: { column: 'meta', kind: 'json' },
    score: { column: 'score', kind: 'integer' },
  },
});

describe(buildPageStatement.name, () => {
  it('should bind filters, search and bounds in placeholder order, values never in the text', () => {
    const request = parse({
      'filter[score]': 'between:1,9',
      'filter[status]': 'in:active,inactive',
      'filter[name]': 'like:a*',
      search: 'x%',
      size: '5',
      page: '3',
      count: 'capped',
    });

    const built = buildPageStatement(SOURCE, request, true);
    const { text } = built.statement;

    expect(text).toContain('"r"."score" BETWEEN CAST($1 AS bigint) AND CAST($2 AS bigint)');
    expect(text).toContain('"r"."status" = ANY(CAST($3 AS text[]))');
    expect(text).toContain('"r"."name" LIKE $4');
    expect(text).toContain('("r"."name" ILIKE $5)');
    expect(text).toContain('LIMIT $6 OFFSET $7');
    expect(text).toContain('> $8 THEN');
    expect(text).toContain('AS "r" WHERE');
    expect(text).toMatch(/LIMIT \$9\) AS counted/);
    expect(text).not.toMatch(/active|a%|x\\%/);
    expect(built.values(request, 100)).toEqual([
      1,
      9,
      ['active', 'inactive'],
      'a%',
      '%x\\%%',
      6,
      10,
      5,
      101,
    ]);
    expect(built.countValues(request)).toEqual([1, 9, ['active', 'inactive'], 'a%', '%x\\%%']);
    expect(built.filtered).toBe(true);
    expect(built.foldedCount).toBe('capped');
  });

  it('should order by the sort then the primary key, nulls placed like keyset pages', () => {
    const built = buildPageStatement(SOURCE, parse({ sort_by: 'score', sort_order: 'desc' }), true);

    expect(built.statement.text).toContain(
      'ORDER BY "r"."score" DESC NULLS FIRST, "r"."id" DESC NULLS FIRST LIMIT',
    );
    expect(built.statement.text).toContain(
      'FROM page ORDER BY page."s0" DESC NULLS FIRST, page."s1" DESC NULLS FIRST',
    );
  });

  it('should fold only exact and capped counts into the statement', () => {
    for (const [count, folded] of [
      ['exact', 'exact'],
      ['capped', 'capped'],
      ['none', undefined],
      ['estimate', undefined],
      ['cached', undefined],
    ] as const) {
      const request = parse({ count, size: '4' });
      const built = buildPageStatement(SOURCE, request, false);

      expect(built.foldedCount).toBe(folded);
      expect(built.statement.text.includes('counted')).toBe(folded !== undefined);
      expect(built.statement.name).toBeUndefined();
      expect(built.values(request, 10)).toEqual(
        folded === 'capped' ? [5, 0, 4, 11] : folded ? [5, 0, 4] : [5, 0],
      );
    }
  });

  it('should count the same rows as the page, without order or bounds', () => {
    const built = buildPageStatement(
      SOURCE,
      parse({ 'filter[description]': 'is_null:true' }),
      true,
    );

    expect(built.countSql).toBe('SELECT 1 FROM "samples" AS "r" WHERE "r"."description" IS NULL');
    expect(built.filtered).toBe(true);
    expect(buildPageStatement(SOURCE, parse({}), true).countSql).toBe(
      'SELECT 1 FROM "samples" AS "r"',
    );
  });
});

describe(PageStatements.name, () => {
  it('should build a shape once and name it after its text', () => {
    const statements = new PageStatements();

    const first = statements.for(SOURCE, parse({ 'filter[name]': 'eq:a', page: '2' }));
    const again = statements.for(SOURCE, parse({ 'filter[name]': 'eq:b', size: '7' }));
    const other = statements.for(SOURCE, parse({ 'filter[name]': 'like:a' }, false));

    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(first.statement.name).toMatch(/^page_[0-9a-f]{32}$/);
    expect(other.statement.name).not.toBe(first.statement.name);
  });

  it('should keep is_null values apart: they are part of the text', () => {
    expect(shapeOf(parse({ 'filter[description]': 'is_null:true' }))).not.toBe(
      shapeOf(parse({ 'filter[description]': 'is_null:false' })),
    );
  });

  it('should stop remembering (and naming) shapes past its bound', () => {
    const statements = new PageStatements();
    const built = Array.from({ length: 201 }, (_, i) =>
      statements.for(
        SOURCE,
        parse({ 'filter[score]': 'gt:1', search: 'a', size: String((i % 100) + 1) }),
      ),
    );
    // One shape, whatever the size.
    expect(new Set(built).size).toBe(1);

    const shapes = ['gt', 'gte', 'lt', 'lte', 'between'].flatMap((op) =>
      ['score', 'name', 'created_at', 'id'].flatMap((sort) =>
        ['asc', 'desc'].flatMap((order) =>
          ['none', 'exact', 'capped', 'cached', 'estimate'].flatMap((count) =>
            [true, false].map((search) =>
              parse({
                'filter[score]': op === 'between' ? 'between:1,2' : `${op}:1`,
                sort_by: sort,
                sort_order: order,
                count,
                ...(search ? { search: 's' } : {}),
              }),
            ),
          ),
        ),
      ),
    );
    const fresh = new PageStatements();
    const named = shapes.map((request) => fresh.for(SOURCE, request).statement.name);
    expect(new Set(shapes.map(shapeOf)).size).toBeGreaterThan(200);
    expect(new Set(named.filter((name) => name !== undefined)).size).toBe(200);
    expect(named.at(-1)).toBeUndefined();
    // A shape met before the bound keeps its name.
    expect(fresh.for(SOURCE, shapes[0]).statement.name).toBe(named[0]);
  });
});
