import { randomUUID } from 'node:crypto';
import { CursorCodec } from './cursor-codec';
import { ListPaginator } from './list-paginator';
import { parsePageRequest } from './page-request.parser';
import { SAMPLE_CONFIG, SAMPLE_RESOURCE } from '../../test/fixtures/pagination/sample-resource';

interface Sample {
  id: string;
  name: string;
  status: string;
  score: number;
  created_at: Date;
  description: string | null;
}

const codec = new CursorCodec(SAMPLE_CONFIG.cursor.keys, 3600);
const sut = new ListPaginator(codec);
const request = (query: Record<string, string>, mode: 'offset' | 'cursor' = 'cursor') =>
  parsePageRequest(query, SAMPLE_RESOURCE, SAMPLE_CONFIG, codec, mode);

/** 100 rows sharing 10 timestamps: the case that made the anchor skip 30% of rows. */
function tiedRows(count = 100, distinct = 10): Sample[] {
  const base = Date.UTC(2026, 0, 1);
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    name: `agent-${i % 7}`,
    status: i % 3 === 0 ? 'inactive' : 'active',
    score: i % 13,
    created_at: new Date(base + (i % distinct) * 1000),
    description: i % 5 === 0 ? null : 'x',
  }));
}

function walk(rows: Sample[], query: Record<string, string>) {
  const forward: string[] = [];
  let page = sut.paginateByCursor(rows, request(query));
  forward.push(...page.items.map((r) => r.id));
  while (page.metadata.next_cursor) {
    page = sut.paginateByCursor(rows, request({ ...query, cursor: page.metadata.next_cursor }));
    forward.push(...page.items.map((r) => r.id));
  }
  const backward: string[] = [...page.items.map((r) => r.id)].reverse();
  while (page.metadata.prev_cursor) {
    page = sut.paginateByCursor(rows, request({ ...query, cursor: page.metadata.prev_cursor }));
    backward.push(...[...page.items].reverse().map((r) => r.id));
  }
  return { forward, backward };
}

describe(ListPaginator.name, () => {
  it.each([
    [{ size: '7' }],
    [{ size: '7', sort_order: 'asc' }],
    [{ size: '3', sort_by: 'name' }],
    [{ size: '9', sort_by: 'score', sort_order: 'desc' }],
    [{ size: '4', 'filter[status]': 'eq:active' }],
  ])('should walk every row once forward and backward with heavy ties (%j)', (query) => {
    const rows = tiedRows();
    const filtered = (query as Record<string, string>)['filter[status]'] !== undefined;
    const expected = rows.filter((r) => !filtered || r.status === 'active').length;
    const { forward, backward } = walk(rows, query);
    expect(new Set(forward).size).toBe(forward.length);
    expect(forward).toHaveLength(expected);
    expect(backward).toEqual([...forward].reverse());
  });

  it('should page by offset with an exact total', () => {
    const rows = tiedRows(45);
    const page = sut.paginate(rows, request({ page: '3', size: '20' }, 'offset'));
    expect(page.items).toHaveLength(5);
    expect(page.metadata).toMatchObject({
      total: 45,
      total_pages: 3,
      has_next: false,
      has_prev: true,
    });
  });

  it('should apply filters with the same semantics as SQL', () => {
    const rows = tiedRows();
    const page = sut.paginate(
      rows,
      request(
        { 'filter[score]': 'between:2,4', 'filter[description]': 'is_null:true', size: '100' },
        'offset',
      ),
    );
    expect(page.items.length).toBeGreaterThan(0);
    expect(page.items.every((r) => r.score >= 2 && r.score <= 4 && r.description === null)).toBe(
      true,
    );
    const like = sut.paginate(
      rows,
      request({ 'filter[name]': 'ilike:AGENT-1', size: '100' }, 'offset'),
    );
    expect(like.items.every((r) => r.name === 'agent-1')).toBe(true);
  });

  it('should sort once per snapshot and serve later pages from the sorted view', () => {
    const rows = tiedRows(50_000, 1000);
    const sortSpy = jest.spyOn(Array.prototype, 'sort');
    sut.paginate(rows, request({ size: '20' }, 'offset'));
    sut.paginate(rows, request({ size: '20', page: '40' }, 'offset'));
    sut.paginate(rows, request({ size: '20', page: '80' }, 'offset'));
    expect(sortSpy).toHaveBeenCalledTimes(1);
    sortSpy.mockRestore();
  });
});
