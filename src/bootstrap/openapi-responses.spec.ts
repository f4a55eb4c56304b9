import { RequestMethod } from '@nestjs/common';
import { errorResponsesFor, RouteFacts } from './openapi-responses';

const route = (facts: Partial<RouteFacts>): RouteFacts => ({
  path: '/things',
  method: RequestMethod.GET,
  hasPathParams: false,
  hasBody: false,
  hasQuery: false,
  isPublic: true,
  rateLimited: false,
  ...facts,
});

const statuses = (facts: Partial<RouteFacts>) =>
  errorResponsesFor(route(facts), 100).map((response) => response.status);

describe(errorResponsesFor.name, () => {
  it('should give a public route without input only 503', () => {
    expect(statuses({})).toEqual([503]);
  });

  it('should give a dependency-free route nothing', () => {
    expect(statuses({ path: '/info' })).toEqual([]);
  });

  it('should give a protected detail route with a body every status it can answer', () => {
    expect(
      statuses({
        method: RequestMethod.PUT,
        hasPathParams: true,
        hasBody: true,
        isPublic: false,
        roles: ['admin'],
      }),
    ).toEqual([400, 401, 403, 404, 414, 413, 415, 503]);
  });

  it('should give a public list 400 for its query and no 401', () => {
    expect(statuses({ hasQuery: true })).toEqual([400, 503]);
  });

  it('should give a rate-limited route 429 with Retry-After', () => {
    expect(statuses({ rateLimited: true })).toEqual([429, 503]);
    const [tooMany] = errorResponsesFor(route({ rateLimited: true }), 100);
    expect(tooMany).toMatchObject({ status: 429, headers: { 'Retry-After': expect.anything() } });
  });

  it('should name the param length limit in the 414', () => {
    const [, , too] = errorResponsesFor(route({ hasPathParams: true }), 64);
    expect(too).toMatchObject({ status: 414, description: expect.stringContaining('64') });
  });
});
