import { ResolvedCacheOptions } from '../cache-options';
import { CacheKeyBuilder, KeyInputs, prefixFromRoute } from './cache-key.builder';

const options = (overrides: Partial<ResolvedCacheOptions> = {}): ResolvedCacheOptions => ({
  ttl: 300,
  scope: 'public',
  enabled: true,
  strategy: 'cache_success',
  compress: true,
  compressionThreshold: 1024,
  includeQueryParams: true,
  excludeParams: ['timestamp', '_'],
  tags: [],
  invalidatedBy: [],
  varyHeaders: [],
  staleWhileRevalidate: 0,
  grace: 0,
  lock: false,
  ...overrides,
});
const inputs = (overrides: Partial<KeyInputs> = {}): KeyInputs => ({
  route: '/agents/:id',
  params: { id: '42' },
  query: {},
  headers: {},
  ...overrides,
});
const allowed = new Set(['page', 'limit', 'sort', 'timestamp']);

describe(CacheKeyBuilder.name, () => {
  const keys = new CacheKeyBuilder('app:cache', '1');

  it('should build <root>:<prefix>:<scope>:<hash> from the route by default', () => {
    const { key } = keys.build(inputs(), options(), allowed);

    expect(key).toMatch(/^app:cache:agents:id:pub:[A-Za-z0-9_-]{27}$/);
    expect(keys.build(inputs(), options({ keyPrefix: 'agents' }), allowed).key).toMatch(
      /^app:cache:agents:pub:/,
    );
  });

  it('should give the same key whatever the order of the query params', () => {
    const a = keys.build(
      inputs({ query: { page: '2', limit: '10', sort: 'name' } }),
      options(),
      allowed,
    );
    const b = keys.build(
      inputs({ query: { sort: 'name', page: '2', limit: '10' } }),
      options(),
      allowed,
    );

    expect(a.key).toBe(b.key);
    expect(
      keys.build(inputs({ query: { page: '3', limit: '10' } }), options(), allowed).key,
    ).not.toBe(a.key);
  });

  it('should drop unknown and excluded params, and all params when includeQueryParams is off', () => {
    const base = keys.build(inputs({ query: { page: '2' } }), options(), allowed).key;

    expect(
      keys.build(
        inputs({ query: { page: '2', junk: 'x', timestamp: '1', _: '2' } }),
        options(),
        allowed,
      ).key,
    ).toBe(base);
    expect(
      keys.build(inputs({ query: { page: '9' } }), options({ includeQueryParams: false }), allowed)
        .key,
    ).toBe(keys.build(inputs(), options(), allowed).key);
  });

  it('should key user-scoped entries by user id and tag them with the user', () => {
    const alice = keys.build(inputs({ userId: 'alice' }), options({ scope: 'user' }), allowed);
    const bob = keys.build(inputs({ userId: 'bob' }), options({ scope: 'user' }), allowed);
    const shared = keys.build(inputs({ userId: 'alice' }), options(), allowed);

    expect(alice.key).toMatch(/^app:cache:agents:id:u:alice:/);
    expect(alice.key).not.toBe(bob.key);
    expect(alice.tags).toContain('user:alice');
    expect(shared.key).toMatch(/^app:cache:agents:id:pub:/);
    expect(shared.tags).not.toContain('user:alice');
  });

  it('should fill {param} in tags and add the route and event tags', () => {
    const { tags } = keys.build(
      inputs(),
      options({
        keyPrefix: 'agents',
        tags: ['agents', 'agent:{id}'],
        invalidatedBy: ['agent_updated'],
      }),
      allowed,
    );

    expect(tags).toEqual(['route:agents', 'event:agent_updated', 'agents', 'agent:42']);
  });

  it('should key on vary headers and on the schema version', () => {
    const vary = options({ varyHeaders: ['Accept-Language'] });
    const en = keys.build(inputs({ headers: { 'accept-language': 'en' } }), vary, allowed).key;
    const fr = keys.build(inputs({ headers: { 'accept-language': 'fr' } }), vary, allowed).key;
    const v2 = new CacheKeyBuilder('app:cache', '2').build(inputs(), options(), allowed).key;

    expect(en).not.toBe(fr);
    expect(v2).not.toBe(keys.build(inputs(), options(), allowed).key);
  });
});

describe(prefixFromRoute.name, () => {
  it('should turn a route template into a readable prefix', () => {
    expect(prefixFromRoute('/agents/:id/tools')).toBe('agents:id:tools');
    expect(prefixFromRoute('/')).toBe('root');
    expect(prefixFromRoute('/a b/c*d')).toBe('a_b:c_d');
  });
});
