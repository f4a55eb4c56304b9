import middie from '@fastify/middie';
import Fastify, { type FastifyInstance, type onRequestHookHandler } from 'fastify';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EdgeExchange, EdgeMatch, EdgeResponder, EdgeStage } from './edge.types';
import { HttpEdge } from './http-edge';

const BODY = Buffer.from('{"stored":true}');

/** A GET that declares a body (fetch drops it), for its status. */
function getWithBody(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: 'GET', headers: { 'content-length': '2' } });
    request.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
    request.end('{}');
  });
}

/** A responder with one stored response, at `/stored`. */
function storedResponder(covers: EdgeResponder['covers'] = []): EdgeResponder & { writes: number } {
  return {
    covers,
    writes: 0,
    find: (request) => (request.url === '/stored' ? { route: '/stored' } : undefined),
    write(exchange: EdgeExchange, _match: EdgeMatch) {
      this.writes++;
      exchange.header('content-type', 'application/json').header('content-length', BODY.length);
      return BODY;
    },
  };
}

describe(HttpEdge.name, () => {
  let fastify: FastifyInstance;
  let edge: HttpEdge;
  let handled: number;
  let baseUrl: string;

  const listen = async (): Promise<void> => {
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
  };

  beforeEach(() => {
    handled = 0;
    fastify = Fastify();
    edge = new HttpEdge();
    edge.attach(fastify);
    fastify.get('/stored', () => {
      handled++;
      return { handler: true };
    });
  });

  afterEach(async () => {
    await fastify.close();
  });

  it('should answer a stored response in front of Fastify, with every stage in order', async () => {
    const seen: string[] = [];
    const hook: onRequestHookHandler = (_request, _reply, done) => done();
    fastify.addHook('onRequest', hook);
    edge.addStage({
      name: 'first',
      covers: [hook],
      enter: (exchange) => {
        seen.push(`enter ${exchange.route}`);
        exchange.header('x-first', '1');
        return undefined;
      },
      beforeWrite: (exchange) => {
        seen.push('beforeWrite');
        exchange.header('x-seconds', exchange.seconds >= 0 ? 'set' : 'unset');
      },
      complete: (exchange) => seen.push(`complete ${exchange.statusCode}`),
    });
    edge.setResponder('test', storedResponder());
    await listen();

    const response = await fetch(`${baseUrl}/stored`);

    expect(edge.active).toBe(true);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(BODY.toString());
    expect(response.headers.get('x-first')).toBe('1');
    expect(response.headers.get('x-seconds')).toBe('set');
    expect(handled).toBe(0);
    expect(seen).toEqual(['enter /stored', 'beforeWrite', 'complete 200']);
  });

  it('should stay off, naming the hook, when a request hook is covered by no stage', async () => {
    fastify.addHook('onRequest', function appTeamHook(_request, _reply, done) {
      done();
    });
    edge.setResponder('test', storedResponder());
    await listen();

    const response = await fetch(`${baseUrl}/stored`);

    expect(edge.active).toBe(false);
    expect(edge.reason).toMatch(/appTeamHook/);
    expect(await response.json()).toEqual({ handler: true });
    expect(handled).toBe(1);
  });

  it('should accept middie without middleware and stay off once it has some', async () => {
    await fastify.register(middie);
    edge.setResponder('test', storedResponder());
    await listen();
    expect(edge.active).toBe(true);
    await fastify.close();

    fastify = Fastify();
    edge = new HttpEdge();
    edge.attach(fastify);
    await fastify.register(middie);
    fastify.use((_request: unknown, _response: unknown, next: () => void) => next());
    edge.setResponder('test', storedResponder());
    await listen();

    expect(edge.active).toBe(false);
    expect(edge.reason).toMatch(/runMiddie/);
  });

  it('should leave Fastify the requests it does not answer: a gate says no, a body, a miss, a POST', async () => {
    let admit = false;
    edge.addStage({ name: 'gate', admits: () => admit });
    const responder = storedResponder();
    edge.setResponder('test', responder);
    await listen();

    const gated = await fetch(`${baseUrl}/stored`);
    admit = true;
    const withBody = await getWithBody(`${baseUrl}/stored`);
    const missing = await fetch(`${baseUrl}/elsewhere`);
    const post = await fetch(`${baseUrl}/stored`, { method: 'POST' });
    const answered = await fetch(`${baseUrl}/stored`);

    expect([gated.status, withBody, missing.status, post.status]).toEqual([200, 200, 404, 404]);
    expect(handled).toBe(2);
    expect(await answered.text()).toBe(BODY.toString());
    expect(responder.writes).toBe(1);
  });

  it("should answer a stage's refusal as JSON and still complete every stage", async () => {
    const completed: number[] = [];
    const refuse: EdgeStage = {
      name: 'limiter',
      enter: (exchange) => {
        exchange.header('retry-after', 3);
        return { statusCode: 429, body: { statusCode: 429, message: 'slow down' } };
      },
      complete: (exchange) => completed.push(exchange.statusCode),
    };
    edge.addStage(refuse);
    const responder = storedResponder();
    edge.setResponder('test', responder);
    await listen();

    const response = await fetch(`${baseUrl}/stored`);

    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({ statusCode: 429, message: 'slow down' });
    expect(responder.writes).toBe(0);
    expect(completed).toEqual([429]);
  });

  it('should send HEAD the headers of GET and no body', async () => {
    edge.setResponder('test', storedResponder());
    await listen();

    const response = await fetch(`${baseUrl}/stored`, { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe(String(BODY.length));
    expect(await response.text()).toBe('');
  });

  it('should answer 500 when a stage throws before anything was written', async () => {
    const completed: number[] = [];
    edge.addStage({
      name: 'broken',
      enter: () => {
        throw new Error('stage failed');
      },
      complete: (exchange) => completed.push(exchange.statusCode),
    });
    edge.setResponder('test', storedResponder());
    await listen();

    const response = await fetch(`${baseUrl}/stored`);

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ statusCode: 500, message: 'Internal server error' });
    expect(completed).toEqual([500]);
  });

  it('should leave Fastify the request when the lookup throws, and survive a failing completion', async () => {
    const responder = storedResponder();
    let lookups = 0;
    const find = responder.find.bind(responder);
    responder.find = (request) => {
      lookups++;
      if (lookups === 1) {
        throw new Error('lookup failed');
      }
      return find(request);
    };
    edge.addStage({
      name: 'broken completion',
      complete: () => {
        throw new Error('completion failed');
      },
    });
    edge.setResponder('test', responder);
    await listen();

    const fromFastify = await fetch(`${baseUrl}/stored`);
    const fromEdge = await fetch(`${baseUrl}/stored`);

    expect(await fromFastify.json()).toEqual({ handler: true });
    expect(await fromEdge.text()).toBe(BODY.toString());
    expect(handled).toBe(1);
  });

  it('should leave every request to Fastify once Fastify starts closing (its 503 answers then)', async () => {
    edge.setResponder('test', storedResponder());
    await listen();
    const request = { method: 'GET', url: '/stored', headers: {} } as IncomingMessage;
    const response = {} as ServerResponse;
    expect(edge.active).toBe(true);

    await fastify.close();

    expect(edge.answer(request, response)).toBe(false);
  });

  it('should stay off when disabled, whatever else is covered', async () => {
    edge.disable('CORS is configured');
    edge.setResponder('test', storedResponder());
    await listen();

    await fetch(`${baseUrl}/stored`);

    expect(edge.active).toBe(false);
    expect(edge.reason).toBe('CORS is configured');
    expect(handled).toBe(1);
  });
});
