import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import request from 'supertest';
import { HttpEdge } from '../../../src/edge';
import { MetricsService } from '../../../src/monitoring';
import { testKeyPrefix } from '../../fixtures/caching/caching-app';
import { createTestApp, TestApp } from '../../helpers/test-app';

/** Headers whose value differs from one answer to the next by nature. */
const PER_REQUEST = new Set([
  'date',
  'age',
  'x-request-id',
  'x-process-time',
  'ratelimit-remaining',
  'ratelimit-reset',
]);

const stableHeaders = (headers: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !PER_REQUEST.has(name))
      .sort(([a], [b]) => a.localeCompare(b)),
  );

describe('HTTP edge (e2e, full app)', () => {
  let t: TestApp;
  let edge: HttpEdge;
  let answers: jest.SpyInstance<boolean, Parameters<HttpEdge['answer']>>;
  /** What the edge answered, in order (true: answered in front of Fastify). */
  const answered = (): boolean[] => answers.mock.results.map((result) => result.value as boolean);

  beforeAll(async () => {
    // Its own key prefix, so the first request of each test below misses.
    t = await createTestApp({ keyPrefix: testKeyPrefix('edge') });
    edge = t.app.get(HttpEdge);
  });

  /** `http_requests_total` of GET /templates with this status, from the app's registry. */
  const requestsOf = async (status: string): Promise<number> => {
    const { body } = await t.app.get(MetricsService).scrape();
    const series = `http_requests_total{method="GET",route="/templates",status_code="${status}"}`;
    const line = body.split('\n').find((each) => each.startsWith(series));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };

  beforeEach(() => {
    answers = jest.spyOn(edge, 'answer');
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await t.close();
  });

  it('should be on in the full app: every request hook of the app has an edge stage', () => {
    expect(edge.reason).toBeUndefined();
    expect(edge.active).toBe(true);
  });

  it('should answer a learnt URL with the bytes and headers of the fast path, and count its rate limit', async () => {
    const miss = await request(t.server).get('/templates').expect(200);
    const fastPath = await request(t.server).get('/templates').expect(200);
    const atEdge = await request(t.server).get('/templates').expect(200);

    expect(answered()).toEqual([false, false, true]);
    expect([
      miss.headers['x-cache'],
      fastPath.headers['x-cache'],
      atEdge.headers['x-cache'],
    ]).toEqual(['MISS', 'HIT', 'HIT']);
    expect(atEdge.text).toBe(fastPath.text);
    expect(stableHeaders(atEdge.headers)).toEqual(stableHeaders(fastPath.headers));
    expect(Number(atEdge.headers['ratelimit-remaining'])).toBe(
      Number(fastPath.headers['ratelimit-remaining']) - 1,
    );
    expect(Number(atEdge.headers['x-process-time'])).toBeGreaterThanOrEqual(0);
    expect(atEdge.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("should keep the caller's request id, record the request's metrics, and answer 304 and HEAD", async () => {
    await request(t.server).get('/templates?size=5').expect(200);
    const hit = await request(t.server).get('/templates?size=5').expect(200);
    const before = await requestsOf('200');
    const notModifiedBefore = await requestsOf('304');
    answers.mockClear();

    const traced = await request(t.server)
      .get('/templates?size=5')
      .set('x-request-id', 'trace-42')
      .expect(200);
    const notModified = await request(t.server)
      .get('/templates?size=5')
      .set('if-none-match', String(hit.headers.etag))
      .expect(304);
    const head = await request(t.server).head('/templates?size=5').expect(200);

    expect(answered()).toEqual([true, true, true]);
    expect(traced.headers['x-request-id']).toBe('trace-42');
    expect(await requestsOf('200')).toBe(before + 1);
    expect(await requestsOf('304')).toBe(notModifiedBefore + 1);
    expect(notModified.text).toBe('');
    expect(notModified.headers.etag).toBe(hit.headers.etag);
    expect(head.headers['content-length']).toBe(hit.headers['content-length']);
    expect(head.text).toBeUndefined();
  });

  it('should answer a valid bearer token as the fast path does, per principal on user-scoped routes', async () => {
    const alice = t.auth();
    const bob = t.auth();
    await request(t.server).get('/user/profile').set(alice).expect(200);
    const fastPath = await request(t.server).get('/user/profile').set(alice).expect(200);
    answers.mockClear();

    const atEdge = await request(t.server).get('/user/profile').set(alice).expect(200);
    const bobMiss = await request(t.server).get('/user/profile').set(bob).expect(200);
    const forged = await request(t.server)
      .get('/user/profile')
      .set('Authorization', `${alice.Authorization}x`)
      .expect(401);
    const anonymous = await request(t.server).get('/user/profile').expect(401);

    expect(answered()).toEqual([true, false, false, false]);
    expect(atEdge.text).toBe(fastPath.text);
    expect(stableHeaders(atEdge.headers)).toEqual(stableHeaders(fastPath.headers));
    expect(atEdge.headers['cache-control']).toBe('private, no-cache');
    expect(bobMiss.headers['x-cache']).toBe('MISS');
    expect(bobMiss.text).toContain(bob.userId);
    expect([forged.status, anonymous.status]).toEqual([401, 401]);
  });

  it('should check each request of a keep-alive connection: a changed or forged token is not the last one', async () => {
    const alice = t.auth();
    const bob = t.auth();
    for (const caller of [alice, bob, alice, bob]) {
      await request(t.server).get('/user/profile').set(caller).expect(200);
    }
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
    const { port } = t.server.address() as AddressInfo;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<Socket>();
    const get = (authorization: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const sent = httpRequest(
          { port, host: '127.0.0.1', path: '/user/profile', agent, headers: { authorization } },
          (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (body += chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          },
        );
        sent.on('socket', (socket: Socket) => sockets.add(socket));
        sent.on('error', reject);
        sent.end();
      });
    answers.mockClear();

    const answersInOrder: { status: number; body: string }[] = [];
    for (const authorization of [
      alice.Authorization,
      bob.Authorization,
      `${alice.Authorization}x`,
      alice.Authorization,
      'Basic YWxpY2U6c2VjcmV0',
      bob.Authorization,
    ]) {
      answersInOrder.push(await get(authorization));
    }
    agent.destroy();

    expect(sockets.size).toBe(1);
    expect(answersInOrder.map(({ status }) => status)).toEqual([200, 200, 401, 200, 401, 200]);
    expect(answered()).toEqual([true, true, false, true, false, true]);
    const owners = [alice, bob, alice, bob];
    [0, 1, 3, 5].forEach((at, index) => {
      const owner = owners[index];
      const other = owner === alice ? bob : alice;
      expect(answersInOrder[at].body).toContain(owner.userId);
      expect(answersInOrder[at].body).not.toContain(other.userId);
    });
  });

  it('should leave cookies, unlearnt URLs and other methods to Fastify', async () => {
    await request(t.server).get('/templates?size=7').expect(200);
    await request(t.server).get('/templates?size=7').expect(200);
    answers.mockClear();

    await request(t.server).get('/templates?size=7').set('cookie', 'session=1').expect(200);
    await request(t.server).get('/templates?size=8').expect(200);
    await request(t.server).get('/templates?size=7').set(t.auth()).expect(200);
    await request(t.server).get('/templates?size=7').expect(200);

    expect(answered()).toEqual([false, false, true, true]);
  });
});
