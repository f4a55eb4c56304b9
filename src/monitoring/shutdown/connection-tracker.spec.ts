import {
  createServer,
  request as httpRequest,
  Agent,
  type Server,
  type ServerResponse,
} from 'node:http';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionTracker } from './connection-tracker';

describe(ConnectionTracker.name, () => {
  let server: Server;
  let tracker: ConnectionTracker;
  let agent: Agent;
  let held: ServerResponse | undefined;
  // A Unix socket of its own, not a TCP port: no client of another suite (a reconnect loop to a
  // port that was freed and reused) can reach this server. CI once saw `connect ECONNRESET` here.
  let socketPath: string;

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
    socketPath = join(tmpdir(), `connection-tracker-${randomUUID()}.sock`);
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  });

  afterEach(async () => {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (path: string) =>
    new Promise<string>((resolve, reject) => {
      httpRequest({ socketPath, path, agent }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(body));
      })
        .on('error', reject)
        .end();
    });

  /** Waits up to 5 s (a loaded CI box) for `condition`, and fails the test if it never holds. */
  const until = async (condition: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!condition() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(condition()).toBe(true);
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
