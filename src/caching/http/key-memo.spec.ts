import { BuiltKey } from './cache-key.builder';
import { KeyMemo } from './key-memo';

const built = (key: string): BuiltKey => ({ key, tags: [`route:${key}`] });

describe(KeyMemo.name, () => {
  it('should remember a built key by URL when the route has no vary headers', () => {
    const memo = new KeyMemo([]);
    const memoKey = memo.of('/templates?page=2', { 'accept-language': 'fr' });

    memo.set(memoKey, built('a'));

    expect(memoKey).toBe('/templates?page=2');
    expect(memo.get(memo.of('/templates?page=2', { 'accept-language': 'de' }))).toEqual(built('a'));
    expect(memo.get(memo.of('/templates?page=3', {}))).toBeUndefined();
  });

  it('should tell requests apart by the values of the vary headers', () => {
    const memo = new KeyMemo(['accept-language', 'x-tenant']);
    memo.set(memo.of('/t', { 'accept-language': 'fr', 'x-tenant': 'a' }), built('fr-a'));

    expect(memo.get(memo.of('/t', { 'accept-language': 'fr', 'x-tenant': 'a' }))).toEqual(
      built('fr-a'),
    );
    expect(memo.get(memo.of('/t', { 'accept-language': 'de', 'x-tenant': 'a' }))).toBeUndefined();
    expect(memo.get(memo.of('/t', { 'accept-language': 'fr' }))).toBeUndefined();
    // A header value cannot forge another combination: values are separated by a newline,
    // which HTTP header values cannot contain.
    expect(memo.of('/t', { 'accept-language': 'fr\na', 'x-tenant': '' })).not.toBe(
      memo.of('/t', { 'accept-language': 'fr', 'x-tenant': 'a' }),
    );
  });

  it('should start over when full, so its memory stays bounded', () => {
    const memo = new KeyMemo([], 3);
    for (const url of ['/1', '/2', '/3']) {
      memo.set(url, built(url));
    }
    expect(memo.size).toBe(3);

    memo.set('/4', built('/4'));

    expect(memo.size).toBe(1);
    expect(memo.get('/1')).toBeUndefined();
    expect(memo.get('/4')).toEqual(built('/4'));
  });
});
