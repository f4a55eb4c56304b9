import { randomUUID } from 'node:crypto';
import { pageCallerOf, parseCount } from './count-policy';
import { PaginatedResource } from './resource-definition';
import { SAMPLE_RESOURCE } from '../../test/fixtures/pagination/sample-resource';

const MAY = { exactCount: true };
const MAY_NOT = { exactCount: false };

describe(parseCount.name, () => {
  it.each(['estimate', 'capped', 'cached', 'none'])(
    'should keep count=%s for any caller',
    (count) => {
      expect(parseCount(count, SAMPLE_RESOURCE, MAY_NOT, [])).toBe(count);
      expect(parseCount(count, SAMPLE_RESOURCE, MAY, [])).toBe(count);
    },
  );

  it('should run count=exact as capped unless the caller may count exactly', () => {
    expect(parseCount('exact', SAMPLE_RESOURCE, MAY_NOT, [])).toBe('capped');
    expect(parseCount('exact', SAMPLE_RESOURCE, MAY, [])).toBe('exact');
  });

  it('should apply the same rule to a default exact count', () => {
    const byDefault: PaginatedResource = { ...SAMPLE_RESOURCE, defaultCount: undefined };

    expect(parseCount(undefined, byDefault, MAY_NOT, [])).toBe('capped');
    expect(parseCount(undefined, byDefault, MAY, [])).toBe('exact');
  });

  it('should name the allowed strategies for one the resource does not allow', () => {
    const problems: string[] = [];
    const narrow: PaginatedResource = { ...SAMPLE_RESOURCE, allowedCounts: ['exact', 'none'] };

    expect(parseCount('capped', narrow, MAY, problems)).toBe('none');
    expect(problems).toEqual(['count must be one of exact, none']);
  });
});

describe(pageCallerOf.name, () => {
  it('should let only admins count exactly', () => {
    expect(pageCallerOf(undefined)).toEqual(MAY_NOT);
    expect(pageCallerOf({ id: randomUUID(), role: 'user' })).toEqual(MAY_NOT);
    expect(pageCallerOf({ id: randomUUID(), role: 'admin' })).toEqual(MAY);
  });
});
