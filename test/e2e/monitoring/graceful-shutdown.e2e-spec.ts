import { ChildProcess, spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const DRAIN_MS = 1000;

interface Outcome {
  startedAt: number;
  status?: number;
  connection?: string;
  error?: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** One GET; network errors become `error` (their code), never a rejection. */
function get(port: number, path: string, agent: Agent | false): Promise<Outcome> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({ startedAt, status: res.statusCode, connection: res.headers.connection }),
      );
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ startedAt, error: error.code ?? error.message }),
    );
    req.end();
  });
}

/** Boots `src/main.ts` in a child process (ts-node, transpile only) on its own port. */
function startServer(port: number): {
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      MONITORING__SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
      MONITORING__SHUTDOWN_TIMEOUT_MS: '5000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output, exited };
}

/** `time` of the child's first log line containing `text` (infinity if none came). */
function logTime(output: string[], text: string): number {
  const line = output
    .join('')
    .split('\n')
    .find((candidate) => candidate.includes(text));
  return line ? (JSON.parse(line) as { time: number }).time : Number.POSITIVE_INFINITY;
}

describe('Graceful shutdown on SIGTERM (e2e)', () => {
  let server: ReturnType<typeof startServer> | undefined;

  afterAll(() => {
    if (server?.child.exitCode === null) {
      server.child.kill('SIGKILL');
    }
  });

  it('should turn readiness 503 at once, keep liveness 200, fail no request and exit 0', async () => {
    const port = await freePort();
    server = startServer(port);
    const { child, output, exited } = server;
    const deadline = Date.now() + 50000;
    while ((await get(port, '/health/startup', false)).status !== 200) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(`server did not start:\n${output.join('')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    // A bounded request loop: 4 sequential clients, each on its own keep-alive connection as a
    // load balancer or client pool would be. From the signal on, responses say
    // `Connection: close`: a client then takes its next request to another instance (here: it
    // stops). Clients that keep opening connections to this instance race the listener close in
    // the kernel's accept queue; test/e2e/faults/drain.e2e-spec.ts measures those.
    const outcomes: Outcome[] = [];
    const loop = async (): Promise<void> => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < 5000; i += 1) {
        const outcome = await get(port, '/info', agent);
        outcomes.push(outcome);
        if (outcome.error === 'ECONNREFUSED' || outcome.connection === 'close') {
          break; // the listener is closed, or the server asked this client to go
        }
      }
      agent.destroy();
    };
    const loops = Promise.all([loop(), loop(), loop(), loop()]);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const probe = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(port, '/health/ready', probe)).status).toBe(200);
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    // A probe already on the wire may be answered before the signal is handled: poll.
    let ready = await get(port, '/health/ready', probe);
    while (ready.status === 200 && Date.now() - signalledAt < 1000) {
      ready = await get(port, '/health/ready', probe);
    }
    expect(ready.status).toBe(503);

    const liveness: Outcome[] = [];
    while (Date.now() - signalledAt < DRAIN_MS - 200) {
      liveness.push(await get(port, '/health/live', probe));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    probe.destroy();
    await loops;
    const exitCode = await exited;
    // When the child began closing, by its own clock (the same machine clock as ours): the
    // pino line's `time`, not when the line reached us, which can be a few ms later.
    const closeSeenAt = logTime(output, 'Drain finished');

    // The flip itself, by the child's clock (the same machine clock): readiness turns 503 in
    // the same tick as the "SIGTERM received" log line, so that line's time bounds the latency.
    expect(logTime(output, 'SIGTERM received') - signalledAt).toBeLessThanOrEqual(50);
    expect(liveness.length).toBeGreaterThan(3);
    expect(liveness.filter((o) => o.status !== 200)).toEqual([]);
    const beforeClose = outcomes.filter((o) => o.startedAt < closeSeenAt);
    expect(
      beforeClose
        .filter((o) => o.status !== 200)
        .map((o) => ({ ...o, startedAt: o.startedAt - closeSeenAt })),
    ).toEqual([]);
    // Every client got its last answer after the signal: a 200 with `Connection: close`.
    expect(outcomes.filter((o) => o.status === 200 && o.connection === 'close')).toHaveLength(4);
    expect(closeSeenAt).toBeLessThan(Number.POSITIVE_INFINITY);
    expect(exitCode).toBe(0);
  }, 90000);
});
