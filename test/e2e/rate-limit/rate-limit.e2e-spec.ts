import { testKeyPrefix } from '../../fixtures/caching/caching-app';
import { createTestApp, TestApp } from '../../helpers/test-app';

const LIMIT = 100;
const BURST = 2000;
/** An hour: the fixed window does not roll over during the file. */
const WINDOW_MS = 3_600_000;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

describe('Rate limit (e2e, full app)', () => {
  let t: TestApp;
  const saved = { ...process.env };

  const get = async (
    url: string,
    headers: Record<string, string> = {},
    remoteAddress = '127.0.0.1',
  ): Promise<Answer> => {
    const res = await t.app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'GET', url, headers, remoteAddress });
    return { status: res.statusCode, headers: res.headers, body: res.body };
  };

  /** `count` requests, 100 at a time, through the whole Fastify pipeline. */
  const burst = async (count: number, send: () => Promise<Answer>): Promise<Answer[]> => {
    const answers: Answer[] = [];
    for (let sent = 0; sent < count; sent += 100) {
      answers.push(
        ...(await Promise.all(Array.from({ length: Math.min(100, count - sent) }, send))),
      );
    }
    return answers;
  };

  beforeAll(async () => {
    Object.assign(process.env, {
      RATE_LIMIT__ENABLED: 'true',
      RATE_LIMIT__MAX: String(LIMIT),
      RATE_LIMIT__WINDOW_MS: String(WINDOW_MS),
      // Its own keys: its cached /templates must not be another file's first response.
      REDIS__KEY_PREFIX: testKeyPrefix('rate_limit'),
      // One trusted proxy: without X-Forwarded-For the peer address is the client, as before.
      HTTP__TRUST_PROXY_HOPS: '1',
    });
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
    process.env = saved;
  });

  it('should refuse a 2,000-request burst of one user past the limit with 429, Retry-After and RateLimit headers, and leave another user alone', async () => {
    const user = t.auth();
    const other = t.auth();

    const answers = await burst(BURST, () =>
      get('/templates', { authorization: user.Authorization }),
    );
    const afterBurst = await get('/templates', { authorization: other.Authorization });

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(BURST - LIMIT);
    const refused = answers.find((answer) => answer.status === 429)!;
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(WINDOW_MS / 1000);
    expect(refused.headers).toMatchObject({
      'ratelimit-limit': String(LIMIT),
      'ratelimit-remaining': '0',
      'ratelimit-policy': `${LIMIT};w=${WINDOW_MS / 1000}`,
    });
    expect(refused.headers['ratelimit-reset']).toBe(refused.headers['retry-after']);
    expect(JSON.parse(refused.body)).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: expect.stringMatching(
        /^Rate limit of 100 requests per 3600 s reached, retry in \d+ s$/,
      ),
    });
    expect(refused.headers['x-request-id']).toBeDefined();
    expect(afterBurst.status).toBe(200);
    expect(afterBurst.headers['ratelimit-remaining']).toBe(String(LIMIT - 1));
    expect(afterBurst.headers['retry-after']).toBeUndefined();
  });

  it('should never limit probes and the metrics scrape', async () => {
    const user = t.auth();
    await burst(LIMIT, () => get('/templates', { authorization: user.Authorization }));
    expect((await get('/templates', { authorization: user.Authorization })).status).toBe(429);

    const live = await get('/health/live', { authorization: user.Authorization });
    const metrics = await get('/metrics', { authorization: user.Authorization });

    expect(live.status).toBe(200);
    expect(live.headers['ratelimit-limit']).toBeUndefined();
    expect(metrics.headers['ratelimit-limit']).toBeUndefined();
    expect(metrics.status).not.toBe(429);
  });

  it('should limit anonymous clients per IP on a cached public route answered by the fast path', async () => {
    await get('/templates', {}, '10.9.0.1'); // fills the cache
    const hit = await get('/templates', {}, '10.9.0.1');
    expect(hit.headers['x-cache']).toBe('HIT');

    const answers = await burst(LIMIT, () => get('/templates', {}, '10.9.0.1'));
    const refused = await get('/templates', {}, '10.9.0.1');
    const otherIp = await get('/templates', {}, '10.9.0.2');

    // The two requests above and LIMIT - 2 of the burst were let through.
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(LIMIT - 2);
    expect(
      answers
        .filter((answer) => answer.status === 200)
        .every((a) => a.headers['x-cache'] === 'HIT'),
    ).toBe(true);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(otherIp.status).toBe(200);
    expect(otherIp.headers['x-cache']).toBe('HIT');
  });

  it('should count clients behind a trusted proxy by their forwarded address', async () => {
    const proxy = '10.9.1.1';
    const first = { 'x-forwarded-for': '203.0.113.7' };
    await burst(LIMIT, () => get('/templates', first, proxy));

    const refused = await get('/templates', first, proxy);
    const second = await get('/templates', { 'x-forwarded-for': '203.0.113.8' }, proxy);
    // A spoofed entry left of the trusted hop changes nothing: the proxy appended the real one.
    const spoofed = await get(
      '/templates',
      { 'x-forwarded-for': '198.51.100.1, 203.0.113.7' },
      proxy,
    );

    expect(refused.status).toBe(429);
    expect(second.status).toBe(200);
    expect(spoofed.status).toBe(429);
  });
});
