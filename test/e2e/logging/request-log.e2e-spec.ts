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

  /** The access lines that match, once `count` of them are written (at most 5 s). */
  async function accessLines(match: (line: LogLine) => boolean, count: number): Promise<LogLine[]> {
    let lines: LogLine[] = [];
    const deadline = Date.now() + 5000;
    while (lines.length < count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      lines = app
        .output()
        .split('\n')
        .filter((text) => text.startsWith('{'))
        .map((text) => JSON.parse(text) as LogLine)
        .filter((each) => each.msg === 'request completed' && match(each));
    }
    return lines;
  }

  it('should write one access line per request with id, method, URL and status, and no credentials', async () => {
    const config = authConfig();
    const token = new TokenService(new JwtService(jwtModuleOptions(config)), config).sign({
      id: randomUUID(),
      role: 'user',
    });
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

  it('should write the access line of cached hits answered at the HTTP edge too', async () => {
    // The first fills L1 (or misses), the second teaches the edge the URL, the third is its.
    const ids = ['edge-line-1', 'edge-line-2', 'edge-line-3'];
    const url = '/templates?size=3';
    for (const id of ids) {
      const res = await fetch(`${baseUrl}${url}`, { headers: { 'x-request-id': id } });
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }

    const lines = await accessLines((each) => ids.includes(each.req?.id ?? ''), ids.length);
    expect(lines.map((line) => line.req?.id).sort()).toEqual(ids);
    for (const line of lines) {
      expect(line).toMatchObject({ req: { method: 'GET', url }, res: { statusCode: 200 } });
    }
  });
});
