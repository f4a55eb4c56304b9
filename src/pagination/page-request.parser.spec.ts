import { BadRequestException } from '@nestjs/common';
import { CursorCodec } from './cursor-codec';
import { parsePageRequest } from './page-request.parser';
import { SAMPLE_CONFIG, SAMPLE_RESOURCE } from '../../test/fixtures/pagination/sample-resource';

const codec = new CursorCodec(SAMPLE_CONFIG.cursor.keys, 3600);
const parse = (query: Record<string, string | string[]>, mode: 'offset' | 'cursor' = 'offset') =>
  parsePageRequest(query, SAMPLE_RESOURCE, SAMPLE_CONFIG, codec, mode);

function problemsOf(
  query: Record<string, string | string[]>,
  mode: 'offset' | 'cursor' = 'offset',
) {
  try {
    parse(query, mode);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return JSON.stringify((error as BadRequestException).getResponse());
  }
  throw new Error(`accepted: ${JSON.stringify(query)}`);
}

/** At least 50 abusive inputs: each must be a 400 that names the parameter at fault. */
const ABUSE: Array<[string, Record<string, string | string[]>, RegExp]> = [
  ['unknown sort field', { sort_by: 'password' }, /sort_by/],
  ['sort by non-sortable field', { sort_by: 'status' }, /sort_by/],
  ['SQL in sort_by', { sort_by: 'name; DROP TABLE agents' }, /sort_by/],
  ['SQL expression in sort_by', { sort_by: '(SELECT 1)' }, /sort_by/],
  ['CASE in sort_by', { sort_by: 'CASE WHEN 1=1 THEN name END' }, /sort_by/],
  ['quoted identifier in sort_by', { sort_by: '"name"' }, /sort_by/],
  ['qualified column in sort_by', { sort_by: 'agents.name' }, /sort_by/],
  ['prototype key in sort_by', { sort_by: '__proto__' }, /sort_by/],
  ['constructor in sort_by', { sort_by: 'constructor' }, /sort_by/],
  ['bad sort_order', { sort_order: 'DESC; DROP' }, /sort_order/],
  ['sort_order upper case', { sort_order: 'DESC' }, /sort_order/],
  ['sort_by twice', { sort_by: ['name', 'id'] }, /sort_by/],
  ['unknown filter field', { 'filter[password]': 'eq:x' }, /filter\[password\]/],
  ['SQL in filter field', { 'filter[name) OR 1=1 --]': 'eq:x' }, /filter\[…\]/],
  ['prototype filter field', { 'filter[__proto__]': 'eq:x' }, /filter\[__proto__\]/],
  ['filter field not filterable', { 'filter[description]': 'eq:x' }, /filter\[description\]/],
  ['operator not allowed', { 'filter[status]': 'like:act' }, /filter\[status\].*operator/],
  ['enum value not allowed', { 'filter[status]': 'eq:deleted' }, /filter\[status\]/],
  ['SQL in enum value', { 'filter[status]': "eq:active' OR '1'='1" }, /filter\[status\]/],
  ['bad uuid', { 'filter[id]': 'eq:1 OR 1=1' }, /filter\[id\]/],
  [
    'uuid list with junk',
    { 'filter[id]': 'in:00000000-0000-0000-0000-000000000000,x' },
    /filter\[id\]/,
  ],
  [
    'oversized in list',
    { 'filter[status]': `in:${Array(11).fill('active').join(',')}` },
    /filter\[status\].*at most/,
  ],
  ['empty in list item', { 'filter[status]': 'in:active,,inactive' }, /filter\[status\]/],
  ['between with one value', { 'filter[score]': 'between:5' }, /filter\[score\]/],
  ['between with three values', { 'filter[score]': 'between:1,2,3' }, /filter\[score\]/],
  ['integer overflow', { 'filter[score]': 'gt:99999999999999999999' }, /filter\[score\]/],
  ['float for integer', { 'filter[score]': 'gt:1.5' }, /filter\[score\]/],
  ['SQL in integer', { 'filter[score]': 'gt:1;DROP TABLE x' }, /filter\[score\]/],
  ['bad timestamp', { 'filter[created_at]': 'gte:yesterday' }, /filter\[created_at\]/],
  [
    'SQL in timestamp',
    { 'filter[created_at]': "gte:2026-01-01'::date OR 1=1" },
    /filter\[created_at\]/,
  ],
  ['impossible date', { 'filter[created_at]': 'gte:2026-13-45' }, /filter\[created_at\]/],
  ['is_null with value', { 'filter[description]': 'is_null:yes' }, /filter\[description\]/],
  ['overlong filter value', { 'filter[name]': `eq:${'x'.repeat(51)}` }, /filter\[name\]/],
  ['NUL in filter value', { 'filter[name]': 'eq:a\u0000b' }, /filter\[name\]/],
  [
    'too many filters',
    {
      'filter[id]': 'eq:00000000-0000-0000-0000-000000000001',
      'filter[name]': 'eq:a',
      'filter[status]': 'eq:active',
      'filter[score]': 'gt:1',
      'filter[created_at]': 'gte:2026-01-01T00:00:00Z',
      'filter[description]': 'is_null:true',
    },
    /at most 5 filters/,
  ],
  ['filter given twice', { 'filter[name]': ['eq:a', 'eq:b'] }, /filter\[name\] must be given once/],
  ['bare filter value', { 'filter[name]': 'agent' }, /filter\[name\] needs operator:value/],
  [
    'unknown filter operator',
    { 'filter[name]': 'regex:.*' },
    /filter\[name\] has unknown operator regex; operators: eq, like, ilike/,
  ],
  ['empty filter operator', { 'filter[name]': ':agent' }, /filter\[name\] has unknown operator/],
  ['upper-case filter operator', { 'filter[name]': 'EQ:agent' }, /filter\[name\].*operator/],
  [
    'SQL as filter operator',
    { 'filter[name]': "x' OR 1=1:a" },
    /filter\[name\] has unknown operator …/,
  ],
  ['page twice', { page: ['1', '2'] }, /page must be given once/],
  ['count twice', { count: ['exact', 'none'] }, /count must be given once/],
  ['search twice', { search: ['a', 'b'] }, /search must be given once/],
  ['sort_order twice', { sort_order: ['asc', 'desc'] }, /sort_order must be given once/],
  ['size and page_size', { size: '10', page_size: '10' }, /size and page_size/],
  ['malformed filter key', { filter: 'name:eq:x' }, /filter/],
  ['nested filter key', { 'filter[name][eq]': 'x' }, /filter/],
  ['filter key with brackets only', { 'filter[]': 'eq:x' }, /filter\[…\]/],
  ['huge size', { size: '100000' }, /size/],
  ['size over max', { size: '101' }, /size/],
  ['zero size', { size: '0' }, /size/],
  ['negative size', { size: '-5' }, /size/],
  ['non-numeric size', { size: 'ten' }, /size/],
  ['float size', { size: '2.5' }, /size/],
  ['size twice', { size: ['10', '20'] }, /size/],
  ['negative page', { page: '-1' }, /page/],
  ['zero page', { page: '0' }, /page/],
  ['non-numeric page', { page: '1 OR 1=1' }, /page/],
  ['page in scientific notation', { page: '1e3' }, /page/],
  ['deep offset', { page: '1000', size: '100' }, /page is too deep.*\/samples\/cursor/],
  ['deep offset with default size', { page: '100000' }, /page is too deep/],
  ['unknown count strategy', { count: 'all' }, /count/],
  ['overlong search', { search: 's'.repeat(51) }, /search/],
  ['cursor on offset route', { cursor: 'abc' }, /cursor/],
  ['page on cursor route', { page: '2' }, /page/],
  ['cursor twice', { cursor: ['abc', 'def'] }, /cursor must be given once/],
];

/** Inputs that run on a cursor route. */
const ON_CURSOR_ROUTE = new Set(['page on cursor route', 'cursor twice']);

const CURSOR_ABUSE: Array<[string, string, RegExp]> = [
  ['malformed cursor', 'not-a-cursor', /cursor: is malformed/],
  ['random base64 cursor', 'k1.eyJ2IjoxfQ.AAAAAAAAAAAAAAAAAAAAAA', /signature/],
  ['unknown key id', 'k9.eyJ2IjoxfQ.AAAAAAAAAAAAAAAAAAAAAA', /unknown key/],
  ['oversized cursor', `k1.${'A'.repeat(2000)}.x`, /too long/],
];

describe(parsePageRequest.name, () => {
  it.each(ABUSE)('should reject %s with a 400 naming the parameter', (_name, query, pattern) => {
    expect(problemsOf(query, ON_CURSOR_ROUTE.has(_name) ? 'cursor' : 'offset')).toMatch(pattern);
  });

  it.each(CURSOR_ABUSE)('should reject a %s', (_name, cursor, pattern) => {
    expect(problemsOf({ cursor }, 'cursor')).toMatch(pattern);
  });

  it('should have at least 50 abusive inputs in the corpus', () => {
    expect(ABUSE.length + CURSOR_ABUSE.length).toBeGreaterThanOrEqual(50);
  });

  it('should reject a tampered cursor', () => {
    const request = parse({}, 'cursor');
    const cursor = codec.encode('samples', request.signature, {
      direction: 'next',
      keys: ['2026-01-01 00:00:00+00', '00000000-0000-0000-0000-000000000001'],
    });
    const [kid, payload, mac] = cursor.split('.');
    const forged = Buffer.from(payload, 'base64url').toString().replace('2026', '2025');
    const tampered = `${kid}.${Buffer.from(forged).toString('base64url')}.${mac}`;
    expect(problemsOf({ cursor: tampered }, 'cursor')).toMatch(/signature/);
  });

  it('should reject a cursor issued for another sort or filter', () => {
    const other = parse({ sort_by: 'name' }, 'cursor');
    const cursor = codec.encode('samples', other.signature, {
      direction: 'next',
      keys: ['a', '00000000-0000-0000-0000-000000000001'],
    });
    expect(problemsOf({ cursor }, 'cursor')).toMatch(/another resource, sort, filter/);
    expect(
      problemsOf({ cursor, 'filter[status]': 'eq:active', sort_by: 'name' }, 'cursor'),
    ).toMatch(/another/);
  });

  it('should reject an expired cursor', () => {
    const past = new CursorCodec(SAMPLE_CONFIG.cursor.keys, 60, () => Date.now() - 120_000);
    const request = parse({}, 'cursor');
    const cursor = past.encode('samples', request.signature, {
      direction: 'next',
      keys: ['2026-01-01 00:00:00+00', '00000000-0000-0000-0000-000000000001'],
    });
    expect(problemsOf({ cursor }, 'cursor')).toMatch(/expired/);
  });

  it('should accept a cursor signed with a previous key after rotation', () => {
    const old = new CursorCodec(
      [{ id: 'k0', secret: 'old-cursor-secret-0123456789abcdefghij' }],
      3600,
    );
    const rotated = new CursorCodec(
      [
        ...SAMPLE_CONFIG.cursor.keys,
        { id: 'k0', secret: 'old-cursor-secret-0123456789abcdefghij' },
      ],
      3600,
    );
    const signature = parse({}, 'cursor').signature;
    const keys = ['2026-01-01 00:00:00.123456+00', '00000000-0000-0000-0000-000000000001'];
    const cursor = old.encode('samples', signature, { direction: 'prev', keys });
    expect(rotated.decode(cursor, 'samples', signature)).toEqual({ direction: 'prev', keys });
  });

  it('should apply defaults and always end the sort with the primary key', () => {
    const request = parse({});
    expect(request).toMatchObject({ page: 1, size: 20, offset: 0, count: 'exact' });
    expect(request.sort.map((s) => `${s.field} ${s.order}`)).toEqual([
      'created_at desc',
      'id desc',
    ]);
  });

  it('should parse typed filters with operators', () => {
    const request = parse({
      'filter[status]': 'in:active,inactive',
      'filter[score]': 'between:1,10',
      'filter[created_at]': 'gte:2026-01-01T00:00:00.123456Z',
      'filter[name]': 'eq:agent',
      page: '3',
      size: '10',
    });
    expect(request.offset).toBe(20);
    expect(request.filters).toEqual([
      { field: 'status', column: 'status', operator: 'in', values: ['active', 'inactive'] },
      { field: 'score', column: 'score', operator: 'between', values: [1, 10] },
      {
        field: 'created_at',
        column: 'created_at',
        operator: 'gte',
        values: ['2026-01-01T00:00:00.123456Z'],
      },
      { field: 'name', column: 'name', operator: 'eq', values: ['agent'] },
    ]);
  });

  it('should take the value after the first colon whole, colons included', () => {
    const request = parse({ 'filter[name]': 'eq:12:30', 'filter[status]': 'in:active' });
    expect(request.filters[0]).toMatchObject({ operator: 'eq', values: ['12:30'] });
    expect(parse({ 'filter[name]': 'like:https://x*' }).filters[0]).toMatchObject({
      operator: 'like',
      values: ['https://x*'],
    });
  });

  it('should take a date without a time (its "-01" day is not a time-zone offset)', () => {
    expect(parse({ 'filter[created_at]': 'gte:2030-01-01' }).filters[0]).toMatchObject({
      operator: 'gte',
      values: ['2030-01-01'],
    });
    expect(parse({ 'filter[created_at]': 'lt:2030-01-01 10:00:00+02' }).filters[0]).toMatchObject({
      values: ['2030-01-01 10:00:00+02'],
    });
  });

  it('should list the allowed operators of the field when the operator is unknown', () => {
    expect(problemsOf({ 'filter[status]': 'regex:.*' })).toContain(
      'filter[status] has unknown operator regex; operators: eq, ne, in, nin',
    );
  });

  it('should give the same signature for the same sort and filters in any parameter order', () => {
    const a = parse({ 'filter[status]': 'eq:active', sort_by: 'name' });
    const b = parse({ sort_by: 'name', 'filter[status]': 'eq:active', size: '5' });
    expect(a.signature).toBe(b.signature);
  });
});

describe('cursor keys in PostgreSQL text form', () => {
  it('should accept a timestamptz key as PostgreSQL prints it (+00 offset, microseconds)', () => {
    const signature = parse({}, 'cursor').signature;
    const keys = ['2026-03-01 10:00:00.000001+00', '00000000-0000-0000-0000-000000000001'];
    const cursor = codec.encode('samples', signature, { direction: 'next', keys });
    expect(parse({ cursor }, 'cursor').cursor).toEqual({ direction: 'next', keys });
  });
});

describe('unknown query parameters', () => {
  it('should reject a parameter the route does not know, naming it', () => {
    expect(problemsOf({ limit: '5' })).toMatch(/unknown query parameter\(s\): limit/);
  });

  it('should accept the configured ignored params and the resource extras', () => {
    expect(() => parse({ _: '12345' })).not.toThrow();
    const withExtra = { ...SAMPLE_RESOURCE, extraParams: ['agent_id'] };
    expect(() =>
      parsePageRequest({ agent_id: 'x' }, withExtra, SAMPLE_CONFIG, codec, 'offset'),
    ).not.toThrow();
  });
});
