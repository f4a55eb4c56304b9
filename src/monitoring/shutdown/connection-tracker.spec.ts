import {
  createServer,
  request as httpRequest,
  Agent,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectionTracker } from './connection-tracker';

describe(ConnectionTracker.name, () => {
  let server: Server;
  let tracker: ConnectionTracker;
  let agent: Agent;
  let held: ServerResponse | undefined;
  let port: number;

  beforeEach(async () => {
    server = createServer((request, response) => {
      if (request.url === '/hold') {
        held = response; // answered by the test
        return;
      }
      response.end('ok');
    });
    tracker = new ConnectionTracker(server);
    agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (path: string) =>
    new Promise<string>((resolve, reject) => {
      httpRequest({ port, host: '127.0.0.1', path, agent }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(body));
      })
        .on('error', reject)
        .end();
    });

  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 200 && !condition(); i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  it('should never close a connection whose request is in flight, and close it once quiet after', async () => {
    const answered = get('/hold');
    await until(() => held !== undefined);

    // Two on-time sweeps: the first records the bytes read, the second would count a quiet one.
    expect([tracker.closeIdle(1, true), tracker.closeIdle(1, true)]).toEqual([0, 0]);
    held?.end('late');
    expect(await answered).toBe('late');
    await new Promise((resolve) => setImmediate(resolve));

    expect(tracker.size).toBe(1);
    expect(tracker.closeIdle(1, true)).toBe(1);
    await until(() => tracker.size === 0);
    expect(tracker.size).toBe(0);
  });

  it('should count every request of a keep-alive connection out when its response closes', async () => {
    for (let i = 0; i < 5; i++) {
      expect(await get('/')).toBe('ok');
    }
    await new Promise((resolve) => setImmediate(resolve));

    expect(tracker.size).toBe(1);
    // Not in flight any more: the first sweep sees its bytes, the second closes it.
    expect([tracker.closeIdle(1, true), tracker.closeIdle(1, true)]).toEqual([0, 1]);
  });
});
