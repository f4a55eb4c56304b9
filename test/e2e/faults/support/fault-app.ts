import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { connect, Socket } from 'node:net';
import { JwtService } from '@nestjs/jwt';
import { AppModule } from '../../../../src/app.module';
import { authConfig, jwtModuleOptions, Role, TokenService } from '../../../../src/auth';
import { createApp } from '../../../../src/bootstrap';
import { freePort, spawnApp, SpawnedApp, waitForStatus } from '../../../helpers/spawn-app';

/** A real `src/main.ts` child process on its own port. */
export interface FaultApp extends SpawnedApp {
  port: number;
  stop(): Promise<void>;
}

/** Starts the service as `npm start` does, with `env` over ours, and waits until it is started. */
export async function startFaultApp(env: Record<string, string> = {}): Promise<FaultApp> {
  const port = await freePort();
  const app = spawnApp({ PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env });
  try {
    await waitForStatus(`http://127.0.0.1:${port}/health/startup`, 200, 60_000);
  } catch (error) {
    app.child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${app.output()}`);
  }
  return {
    ...app,
    port,
    async stop() {
      if (app.child.exitCode === null) {
        // A profiled child (SPAWN_APP_NODE_ARGS=--cpu-prof) writes its profile only on a clean exit.
        app.child.kill(process.env.SPAWN_APP_NODE_ARGS ? 'SIGINT' : 'SIGKILL');
        await app.exited;
      }
    },
  };
}

/** A bearer header the child accepts (same AUTH__* env). */
export function bearer(role: Role = 'admin', id: string = randomUUID()): string {
  const config = authConfig();
  const tokens = new TokenService(new JwtService(jwtModuleOptions(config)), config);
  return `Bearer ${tokens.sign({ id, role })}`;
}

/** A route of the app's route table, as Fastify registered it. */
export interface RouteEntry {
  method: string;
  url: string;
  bodyLimit: number;
}

/**
 * The routes that read a body (POST, PUT, PATCH, DELETE), from the app's own route table: the
 * full app is built in-process and every route Fastify registers is recorded.
 */
export async function bodyRoutes(): Promise<RouteEntry[]> {
  const app = await createApp(await AppModule.forRoot());
  const routes: RouteEntry[] = [];
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
          routes.push({ method, url: route.url, bodyLimit: route.bodyLimit ?? 0 });
        }
      }
    });
  await app.init();
  // Only the table is wanted; a shutdown hook's complaint while closing is not this test's.
  await app.close().catch(() => undefined);
  return routes;
}

/** The route's path with every `:param` filled with a uuid. */
export const concrete = (url: string): string => url.replace(/:[^/]+/g, randomUUID());

const CHUNK = 64 * 1024;

/** Status line of a raw HTTP exchange, the time it took, or the socket error. */
export interface RawOutcome {
  status?: number;
  ms: number;
  error?: string;
  /** Sent on a keep-alive socket that had served an earlier request (so the server had accepted it). */
  reused?: boolean;
}

/**
 * Writes `head` (request line and headers) on a fresh socket, then `body` when given, and
 * resolves at the first status line (or error/close). The socket is destroyed afterwards.
 */
export function rawExchange(port: number, head: string, body?: Buffer): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const started = performance.now();
    let answer = '';
    const finish = (outcome: Omit<RawOutcome, 'ms'>): void => {
      done = true;
      socket.destroy();
      socket.emit('drain');
      resolve({ ...outcome, ms: performance.now() - started });
    };
    let done = false;
    // The body goes out in chunks, as the server takes them, until it answers: a client
    // streaming an upload, not 30 MB dumped into the socket buffer at once.
    const send = async (): Promise<void> => {
      socket.write(head);
      for (let offset = 0; body && offset < body.length && !done; offset += CHUNK) {
        if (!socket.write(body.subarray(offset, offset + CHUNK))) {
          await new Promise((drained) => socket.once('drain', drained));
        }
      }
    };
    socket.on('connect', () => void send().catch(() => undefined));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (match) {
        finish({ status: Number(match[1]) });
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish({ error: error.code }));
    socket.on('close', () => finish({ error: 'closed' }));
  });
}

/** Opens a socket, sends `head` and keeps the socket open (a slow sender). */
export function holdOpen(port: number, head: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** One GET on `agent`; resolves with its status and duration (or the error code). */
export function timedGet(port: number, path: string, agent: Agent | false): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = httpRequest({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          ms: performance.now() - started,
          reused: req.reusedSocket,
        }),
      );
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({
        error: error.code ?? error.message,
        ms: performance.now() - started,
        reused: req.reusedSocket,
      }),
    );
    req.end();
  });
}

/** Probes `path` every `intervalMs` on one keep-alive socket until `stop()`; returns timings. */
export function probeLoop(
  port: number,
  path: string,
  intervalMs: number,
): { stop: () => Promise<RawOutcome[]> } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const outcomes: RawOutcome[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      outcomes.push(await timedGet(port, path, agent));
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      agent.destroy();
      return outcomes;
    },
  };
}

/** The q-quantile of values (nearest rank). */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}
