import { buildLinkHeader } from './pagination-links.interceptor';

describe(buildLinkHeader.name, () => {
  it('should give first, prev, next and last for an offset page with an exact total', () => {
    const header = buildLinkHeader('/agents?page=2&size=10&filter%5Bstatus%5D=eq%3Aactive', {
      page: 2,
      total_pages: 5,
      has_next: true,
      has_prev: true,
      total_is_approximate: false,
    });
    expect(header).toBe(
      [
        '</agents?size=10&filter%5Bstatus%5D=eq%3Aactive>; rel="first"',
        '</agents?page=1&size=10&filter%5Bstatus%5D=eq%3Aactive>; rel="prev"',
        '</agents?page=3&size=10&filter%5Bstatus%5D=eq%3Aactive>; rel="next"',
        '</agents?page=5&size=10&filter%5Bstatus%5D=eq%3Aactive>; rel="last"',
      ].join(', '),
    );
  });

  it('should omit last when the total is approximate', () => {
    const header = buildLinkHeader('/agents', {
      page: 1,
      total_pages: 9,
      has_next: true,
      has_prev: false,
      total_is_approximate: true,
    });
    expect(header).not.toContain('rel="last"');
    expect(header).not.toContain('rel="prev"');
  });

  it('should link cursors for a keyset page', () => {
    const header = buildLinkHeader('/agents/cursor?size=5&cursor=old', {
      next_cursor: 'n1',
      prev_cursor: 'p1',
    });
    expect(header).toContain('</agents/cursor?size=5&cursor=n1>; rel="next"');
    expect(header).toContain('</agents/cursor?size=5&cursor=p1>; rel="prev"');
    expect(header).toContain('</agents/cursor?size=5>; rel="first"');
  });
});
