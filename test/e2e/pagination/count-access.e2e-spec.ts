import request from 'supertest';
import { DataSource } from 'typeorm';
import { uniquePrefix } from '../../factories/agent.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

// The pagination answer itself, not a response cache entry shared between callers.
process.env.CACHING__ENABLED = 'false';
// A cap below the rows inserted, so `capped` and `exact` give different totals.
process.env.PAGINATION__COUNT_CAP = '5';

type Caller = 'anonymous' | 'user' | 'admin';

describe('count=exact is for admins (e2e)', () => {
  let t: TestApp;
  let prefix: string;

  const list = (caller: Caller, path: string, query: Record<string, string>) => {
    const req = request(t.server).get(path).query(query);
    return (caller === 'anonymous' ? req : req.set('Authorization', t.auth(caller).Authorization))
      .expect(200)
      .then((res) => res.body.metadata as Record<string, unknown>);
  };

  beforeAll(async () => {
    t = await createTestApp();
    prefix = uniquePrefix('exact');
    await t.app
      .get(DataSource)
      .query(
        `INSERT INTO agents (name, type) SELECT $1 || '-' || g, 'task' FROM generate_series(1, 12) AS g`,
        [prefix],
      );
  });
  afterAll(() => t.close());

  it.each<[Caller, string, number, boolean]>([
    ['anonymous', 'capped', 5, true],
    ['user', 'capped', 5, true],
    ['admin', 'exact', 12, false],
  ])(
    'should answer count=exact from a caller who is %s with %s',
    async (caller, strategy, total, approx) => {
      const metadata = await list(caller, '/agents', {
        'filter[name]': `like:${prefix}-*`,
        size: '3',
        count: 'exact',
      });

      expect(metadata).toMatchObject({
        count_strategy: strategy,
        total,
        total_is_approximate: approx,
        total_pages: Math.ceil(total / 3),
        has_next: true,
      });
    },
  );

  it('should leave the other strategies as asked for every caller', async () => {
    const query = { 'filter[name]': `like:${prefix}-*`, size: '3' };
    for (const caller of ['anonymous', 'user', 'admin'] as const) {
      expect(await list(caller, '/agents', { ...query, count: 'capped' })).toMatchObject({
        count_strategy: 'capped',
        total: 5,
        total_is_approximate: true,
      });
      expect(await list(caller, '/agents', { ...query, count: 'none' })).toMatchObject({
        count_strategy: 'none',
        total: null,
      });
    }
  });

  it("should run a resource's default exact count as capped for a caller who is not an admin", async () => {
    const query = { 'filter[name]': 'in:Research agent,Code reviewer', size: '1' };

    const anonymous = await list('anonymous', '/templates', query);
    const admin = await list('admin', '/templates', query);

    expect(anonymous).toMatchObject({
      count_strategy: 'capped',
      total: 2,
      total_is_approximate: false,
    });
    expect(admin).toMatchObject({ count_strategy: 'exact', total: 2, total_is_approximate: false });
  });

  it('should still reject a count the resource does not allow, naming the parameter', async () => {
    const res = await request(t.server).get('/templates').query({ count: 'capped' }).expect(400);

    expect(JSON.stringify(res.body.message)).toContain('count must be one of exact, none');
  });
});
