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

    let line: LogLine | undefined;
    const deadline = Date.now() + 5000;
    while (!line && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      line = app
        .output()
        .split('\n')
        .filter((text) => text.startsWith('{'))
        .map((text) => JSON.parse(text) as LogLine)
        .find((each) => each.msg === 'request completed' && each.req?.url === url);
    }
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
});
