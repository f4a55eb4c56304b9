import type { FastifyRequest } from 'fastify';
import type { CachePolicy } from './cache-policy';
import { EdgeUrls } from './edge-responder';
import type { FastRoute } from './fast-path';

const route = (edge: boolean): FastRoute =>
  ({ template: '/t', edge, anonymous: true }) as unknown as FastRoute;
const requestOf = (url: string, headers: Record<string, string> = {}): FastifyRequest =>
  ({ url, headers }) as unknown as FastifyRequest;

describe(EdgeUrls.name, () => {
  const policy = (defaultKeys: boolean) => ({ defaultKeys }) as CachePolicy;

  it("should learn the URLs of edge routes when keys are the default rule's", () => {
    const urls = new EdgeUrls(policy(true));
    const fast = route(true);

    urls.learn(requestOf('/t?page=2'), fast);
    urls.learn(requestOf('/t?page=3', { authorization: 'Bearer x' }), fast);
    urls.learn(requestOf('/t?page=4', { cookie: 'a=b' }), fast);
    urls.learn(requestOf('/v'), route(false));

    expect(urls.get('/t?page=2')).toBe(fast);
    expect(urls.get('/t?page=3')).toBe(fast);
    expect(urls.get('/t?page=4')).toBeUndefined();
    expect(urls.get('/v')).toBeUndefined();
  });

  it("should learn nothing when the app's interceptor overrides the key hooks", () => {
    const urls = new EdgeUrls(policy(false));

    urls.learn(requestOf('/t'), route(true));

    expect(urls.size).toBe(0);
  });

  it('should start over when full, so its memory stays bounded', () => {
    const urls = new EdgeUrls(policy(true), 2);
    const fast = route(true);
    urls.learn(requestOf('/1'), fast);
    urls.learn(requestOf('/2'), fast);
    urls.learn(requestOf('/2'), fast);

    urls.learn(requestOf('/3'), fast);

    expect(urls.size).toBe(1);
    expect(urls.get('/1')).toBeUndefined();
    expect(urls.get('/3')).toBe(fast);
  });
});
