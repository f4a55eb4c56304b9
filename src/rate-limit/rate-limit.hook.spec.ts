import { RoutePolicies } from './rate-limit.hook';
import type { RateLimitOptions } from './rate-limit.decorator';

const config = { limit: 100, windowMs: 60_000 };

const policiesWith = (overrides: Record<string, RateLimitOptions>) =>
  new RoutePolicies(new Map(Object.entries(overrides)), config);

describe(RoutePolicies.name, () => {
  it('should give unmatched requests and undecorated routes the global policy', () => {
    const policies = policiesWith({});

    expect(policies.of('GET', undefined)).toMatchObject({
      id: 'all',
      limit: 100,
      header: '100;w=60',
    });
    expect(policies.of('POST', '/agents')).toBe(policies.of('GET', undefined));
  });

  it("should apply a route's own limit to its method only, HEAD counting as GET", () => {
    const policies = policiesWith({ 'POST /agents': { limit: 5, windowMs: 10_000 } });

    expect(policies.of('POST', '/agents')).toMatchObject({
      id: 'route:POST /agents',
      limit: 5,
      windowMs: 10_000,
      header: '5;w=10',
    });
    expect(policies.of('GET', '/agents')?.id).toBe('all');
    expect(policies.of('HEAD', '/agents')).toBe(policies.of('GET', '/agents'));
  });

  it('should apply an any-method override and skip exempt and skipped routes', () => {
    const policies = policiesWith({
      '* /documents': { limit: 2 },
      'GET /tools': { skip: true },
    });

    expect(policies.of('DELETE', '/documents')).toMatchObject({ limit: 2, windowMs: 60_000 });
    expect(policies.of('GET', '/tools')).toBeNull();
    expect(policies.of('GET', '/health/live')).toBeNull();
  });

  it('should resolve a route once and return the same policy after', () => {
    const policies = policiesWith({ 'GET /agents/:id': { limit: 7 } });

    const first = policies.of('GET', '/agents/:id');

    expect(policies.of('GET', '/agents/:id')).toBe(first);
    expect(first?.limit).toBe(7);
  });
});
