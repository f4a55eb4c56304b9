import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { authConfig, jwtModuleOptions, TokenService } from '../../../src/auth';
import { SpawnedApp, spawnLiveApp } from '../../helpers/spawn-app';

interface LogLine {
  msg?: string;
  req?: { id?: string; method?: string; url?: string; headers?: unknown };
  res?: { statusCode?: number; headers?: unknown };
  responseTime?: number;
}

/** The `request completed` lines the app has written so far. */
function completedLines(app: SpawnedApp): LogLine[] {
  return app
    .output()
    .split('\n')
    .filter((text) => text.startsWith('{'))
    .map((text) => JSON.parse(text) as LogLine)
    .filter((each) => each.msg === 'request completed');
}

/** The access lines that match, once `count` of them are written (at most 5 s). */
async function accessLinesOf(
  app: SpawnedApp,
  match: (line: LogLine) => boolean,
  count: number,
): Promise<LogLine[]> {
  let lines: LogLine[] = [];
  const deadline = Date.now() + 5000;
  while (lines.length < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    lines = completedLines(app).filter(match);
  }
  return lines;
}

/** GETs `url` once per request id, in order, each a 200. */
async function getAllFrom(
  baseUrl: string,
  url: string,
  ids: string[],
  headers: Record<string, string> = {},
): Promise<void> {
  for (const id of ids) {
    const res = await fetch(`${baseUrl}${url}`, { headers: { ...headers, 'x-request-id': id } });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }
}

/** `http_requests_total` of GET /templates answered 200, from the app's /metrics. */
async function templatesServed(baseUrl: string): Promise<number> {
  const body = await (await fetch(`${baseUrl}/metrics`)).text();
  const series = 'http_requests_total{method="GET",route="/templates",status_code="200"}';
  const line = body.split('\n').find((each) => each.startsWith(series));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/** A user token the app accepts. */
function tokenFor(id: string): string {
  const config = authConfig();
  return new TokenService(new JwtService(jwtModuleOptions(config)), config).sign({
    id,
    role: 'user',
  });
}

describe('Request logging (e2e, real process)', () => {
  let app: SpawnedApp;
  let baseUrl: string;

  beforeAll(async () => {
    ({ app, baseUrl } = await spawnLiveApp({ LOG_LEVEL: 'info' }));
  }, 90000);

  afterAll(async () => {
    app.child.kill('SIGTERM');
    await app.exited;
  });

  const accessLines = (match: (line: LogLine) => boolean, count: number) =>
    accessLinesOf(app, match, count);
  /** The request ids of every access line written so far. */
  const accessIds = () => completedLines(app).map((line) => line.req?.id);
  const getAll = (url: string, ids: string[], headers: Record<string, string> = {}) =>
    getAllFrom(baseUrl, url, ids, headers);

  it('should write one access line per request with id, method, URL and status, and no credentials', async () => {
    const token = tokenFor(randomUUID());
    const requestId = randomUUID();
    const url = `/compute/${randomUUID()}`;

    const res = await fetch(`${baseUrl}${url}`, {
      headers: {
        authorization: `Bearer ${token}`,
        cookie: 'session=cookie-value-that-must-not-be-logged',
        'x-request-id': requestId,
      },
    });
    expect(res.status).toBe(404);

    const [line] = await accessLines((each) => each.req?.url === url, 1);
    expect(line).toMatchObject({
      req: { id: requestId, method: 'GET', url },
      res: { statusCode: 404 },
      responseTime: expect.any(Number) as number,
    });
    expect(line?.req?.headers).toBeUndefined();
    expect(app.output()).not.toContain(token);
    expect(app.output()).not.toContain(token.split('.')[2]);
    expect(app.output()).not.toContain('cookie-value-that-must-not-be-logged');
  });

  it("should leave anonymous cache hits answered at the HTTP edge out of the access log (counted in metrics), and log a user's", async () => {
    const sub = randomUUID();
    const token = tokenFor(sub);
    // The first fills L1 (or misses), the second teaches the edge the URL, the third is its.
    const publicIds = ['public-1', 'public-2', 'public-3'];
    const userIds = ['user-1', 'user-2', 'user-3'];
    await getAll('/templates?size=3', publicIds);
    await getAll('/user/profile', userIds, { authorization: `Bearer ${token}` });
    // Written after the edge hits: once its line is out, theirs would be too.
    const marker = `/compute/${randomUUID()}`;
    await fetch(`${baseUrl}${marker}`, { headers: { 'x-request-id': 'after-the-hits' } });

    const wanted = [...publicIds.slice(0, 2), ...userIds, 'after-the-hits'];
    const lines = await accessLines((each) => wanted.includes(each.req?.id ?? ''), wanted.length);
    expect(lines.map((line) => line.req?.id).sort()).toEqual([...wanted].sort());
    expect(accessIds()).not.toContain('public-3');
    expect(await templatesServed(baseUrl)).toBe(3);
    expect(app.output()).toContain('anonymous cache hits answered at the HTTP edge are counted');
  });
});

describe('Request logging with LOGGING__PUBLIC_EDGE_HITS=true (e2e, real process)', () => {
  let app: SpawnedApp;
  let baseUrl: string;

  beforeAll(async () => {
    ({ app, baseUrl } = await spawnLiveApp({
      LOG_LEVEL: 'info',
      LOGGING__PUBLIC_EDGE_HITS: 'true',
    }));
  }, 90000);

  afterAll(async () => {
    app.child.kill('SIGTERM');
    await app.exited;
  });

  it('should write the access line of every cached hit, the ones answered at the HTTP edge too', async () => {
    const ids = ['edge-line-1', 'edge-line-2', 'edge-line-3'];
    const url = '/templates?size=3';
    await getAllFrom(baseUrl, url, ids);

    const lines = await accessLinesOf(app, (each) => ids.includes(each.req?.id ?? ''), ids.length);
    expect(lines.map((line) => line.req?.id).sort()).toEqual(ids);
    for (const line of lines) {
      expect(line).toMatchObject({ req: { method: 'GET', url }, res: { statusCode: 200 } });
    }
    expect(await templatesServed(baseUrl)).toBe(3);
    expect(app.output()).not.toContain(
      'anonymous cache hits answered at the HTTP edge are counted',
    );
  });
});
