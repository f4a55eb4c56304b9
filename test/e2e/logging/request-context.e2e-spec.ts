import { Body, Controller, DynamicModule, Get, Module, Post, Query } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoLogger } from 'nestjs-pino';
import { AddressInfo } from 'node:net';
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { AppConfigModule, appConfig, AppEnv } from '../../../src/config';
import { createApp } from '../../../src/bootstrap';
import { loggingConfig, LoggingEnv, LoggingModule } from '../../../src/logging';

/** What a line logged from inside the handler would carry. */
type Bound = { req?: { id?: string; method?: string; url?: string } };

@Controller('context')
class ContextController {
  constructor(private readonly log: PinoLogger) {}

  @Get()
  async get(@Query('wait') wait?: string): Promise<Bound> {
    await new Promise((resolve) => setTimeout(resolve, Number(wait ?? 5)));
    return this.log.logger.bindings();
  }

  @Post()
  async post(@Body() _body: unknown): Promise<Bound> {
    await new Promise((resolve) => setImmediate(resolve));
    return this.log.logger.bindings();
  }
}

@Module({})
class ContextAppModule {
  static async forRoot(): Promise<DynamicModule> {
    return {
      module: ContextAppModule,
      imports: [
        await AppConfigModule.forRoot([
          { namespace: appConfig, env: AppEnv },
          { namespace: loggingConfig, env: LoggingEnv },
        ]),
        LoggingModule,
      ],
      controllers: [ContextController],
    };
  }
}

/** POSTs a JSON body that arrives 50 ms after the headers, as a slow client sends it. */
function postLate(port: number, id: string): Promise<Bound> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ n: id });
    const req = httpRequest(
      {
        port,
        host: '127.0.0.1',
        method: 'POST',
        path: '/context',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-request-id': id,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(JSON.parse(text) as Bound));
      },
    );
    req.on('error', reject);
    req.flushHeaders();
    setTimeout(() => req.end(body), 50);
  });
}

describe('Request log context (e2e)', () => {
  let app: NestFastifyApplication;

  const level = process.env.LOG_LEVEL;

  beforeAll(async () => {
    // Any level but silent binds the context (error: no access lines in the test output).
    process.env.LOG_LEVEL = 'error';
    app = await createApp(await ContextAppModule.forRoot(), { bufferLogs: false });
    process.env.LOG_LEVEL = level;
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(() => app.close());

  it('should bind the request id, method and URL to lines logged while serving a GET', async () => {
    const res = await request(app.getHttpServer())
      .get('/context?x=1')
      .set('x-request-id', 'ctx-get-1')
      .expect(200);
    expect(res.body).toEqual({
      req: { id: 'ctx-get-1', method: 'GET', url: '/context?x=1', remoteAddress: '127.0.0.1' },
    });
  });

  it('should keep a slow request its context while others start and finish around it', async () => {
    // The store is switched off when no request is in flight (RequestContextGate): the quick
    // requests finishing must not switch it off under the slow one, and it comes back after.
    const server = app.getHttpServer();
    const slow = request(server).get('/context?wait=150').set('x-request-id', 'ctx-slow');
    const slowDone = slow.then((res) => res.body as Bound);
    for (let i = 0; i < 5; i += 1) {
      const quick = await request(server)
        .get('/context?wait=0')
        .set('x-request-id', `ctx-quick-${i}`)
        .expect(200);
      expect((quick.body as Bound).req?.id).toBe(`ctx-quick-${i}`);
    }
    expect((await slowDone).req?.id).toBe('ctx-slow');
    const after = await request(server)
      .get('/context')
      .set('x-request-id', 'ctx-after')
      .expect(200);
    expect((after.body as Bound).req?.id).toBe('ctx-after');
  });

  it('should keep the context after the body is parsed (POST), and keep requests apart', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `ctx-post-${i}`);
    const responses = await Promise.all(
      ids.map((id) =>
        request(app.getHttpServer())
          .post('/context')
          .set('x-request-id', id)
          .send({ n: id })
          .expect(201),
      ),
    );
    expect(responses.map((res) => (res.body as Bound).req?.id)).toEqual(ids);
  });

  it('should keep the context when the body arrives after the headers', async () => {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const ids = Array.from({ length: 5 }, (_, i) => `ctx-late-${i}`);
    const bodies = await Promise.all(ids.map((id) => postLate(port, id)));
    expect(bodies.map((body) => body.req?.id)).toEqual(ids);
  });
});
