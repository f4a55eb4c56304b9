import { DataSource, QueryFailedError } from 'typeorm';
import { classifyDriverError } from '../../../src/persistence';
import { buildAgent, buildAgents, uniquePrefix } from '../../factories/agent.factory';
import { scopedEnv } from '../../helpers/scoped-env';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { ThrowawayPostgres } from './support/throwaway-postgres';

// Short bounds so a frozen server shows within seconds; the relation is the production one.
const STATEMENT_TIMEOUT_MS = 1000;
const QUERY_TIMEOUT_MS = 2000;
const POOL_TIMEOUT_S = 1;
/** Longest a request may take while PostgreSQL is frozen: acquire + query + headroom (2 cores). */
const FREEZE_BOUND_MS = POOL_TIMEOUT_S * 1000 + QUERY_TIMEOUT_MS + 2500;
/** Longest the app may take to serve DB routes again once PostgreSQL is back. */
const RECOVERY_BOUND_MS = 10_000;

interface Sample {
  route: string;
  status: number; // 0: no answer within the client timeout, or the connection failed
  retryAfter: string | null;
  startedAt: number;
  ms: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Steady load on DB routes from `workers` concurrent loops, every answer recorded. */
class Load {
  readonly samples: Sample[] = [];
  private running = true;
  private readonly loops: Promise<void>[];

  constructor(
    private readonly base: string,
    private readonly headers: Record<string, string>,
    agentId: string,
    workers: number,
  ) {
    this.loops = Array.from({ length: workers }, (_, worker) =>
      this.loop(worker % 2 === 0 ? `/agents/${agentId}` : '/agents'),
    );
  }

  async stop(): Promise<Sample[]> {
    this.running = false;
    await Promise.all(this.loops);
    return this.samples;
  }

  private async loop(route: string): Promise<void> {
    while (this.running) {
      this.samples.push(await this.send(route));
      await sleep(20);
    }
  }

  private async send(route: string): Promise<Sample> {
    const startedAt = Date.now();
    const write = route === '/agents';
    try {
      const res = await fetch(`${this.base}${route}`, {
        method: write ? 'POST' : 'GET',
        headers: { ...this.headers, 'content-type': 'application/json' },
        body: write ? JSON.stringify(buildAgent()) : undefined,
        signal: AbortSignal.timeout(15_000),
      });
      await res.arrayBuffer();
      const retryAfter = res.headers.get('retry-after');
      return { route, status: res.status, retryAfter, startedAt, ms: Date.now() - startedAt };
    } catch {
      return { route, status: 0, retryAfter: null, startedAt, ms: Date.now() - startedAt };
    }
  }
}

/** Counts per status, with 503s split by whether they carry Retry-After. */
function statusCounts(samples: Sample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status, retryAfter } of samples) {
    const key = status === 503 && !retryAfter ? '503-no-retry-after' : String(status);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const isAllowedDuringFault = (s: Sample) =>
  (s.status >= 200 && s.status < 300) || (s.status === 503 && Number(s.retryAfter) > 0);

describe('PostgreSQL faults (e2e, own embedded server)', () => {
  let pg: ThrowawayPostgres;
  let t: TestApp;
  let base: string;
  let auth: Record<string, string>;
  let agentId: string;
  const env = scopedEnv();
  const setEnv = (values: Record<string, string>) => env.set(values);

  const get = (path: string) => fetch(`${base}${path}`, { signal: AbortSignal.timeout(15_000) });

  /** Polls readiness until it answers `status` (ms it took) or fails after `limitMs`. */
  const msUntilReady = async (status: number, limitMs: number): Promise<number> => {
    const started = Date.now();
    for (;;) {
      const res = await get('/health/ready');
      if (res.status === status) {
        return Date.now() - started;
      }
      if (Date.now() - started > limitMs) {
        throw new Error(`/health/ready still ${res.status} after ${limitMs} ms`);
      }
      await sleep(50);
    }
  };

  /** Polls a DB route until it answers 200 (ms it took) or fails after the recovery bound. */
  const msUntilServing = async (): Promise<number> => {
    const started = Date.now();
    for (;;) {
      const res = await fetch(`${base}/agents/${agentId}`, {
        headers: auth,
        signal: AbortSignal.timeout(15_000),
      });
      if (res.status === 200) {
        return Date.now() - started;
      }
      if (Date.now() - started > RECOVERY_BOUND_MS) {
        throw new Error(`GET /agents/:id still ${res.status} after ${RECOVERY_BOUND_MS} ms`);
      }
      await sleep(50);
    }
  };

  beforeAll(async () => {
    pg = await ThrowawayPostgres.create();
    setEnv({
      DATABASE__URL: pg.url,
      DATABASE__RUN_MIGRATIONS: 'true',
      DATABASE__STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
      DATABASE__QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
      DATABASE__POOL_TIMEOUT: String(POOL_TIMEOUT_S),
      // Reads must reach PostgreSQL, not the response cache.
      CACHING__ENABLED: 'false',
    });
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    const { Authorization } = t.auth();
    auth = { Authorization };
    const res = await fetch(`${base}/agents`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(buildAgent()),
    });
    expect(res.status).toBe(201);
    agentId = ((await res.json()) as { id: string }).id;
  }, 120_000);

  afterAll(async () => {
    pg?.thaw();
    await t?.close().catch(() => undefined);
    await pg?.destroy();
    env.restore();
  }, 60_000);

  describe('COPY data errors', () => {
    const countByPrefix = async (prefix: string): Promise<number> => {
      const rows: Array<{ n: number }> = await t.app
        .get(DataSource)
        .query(`SELECT count(*)::int AS n FROM agents WHERE name LIKE $1`, [`${prefix}-%`]);
      return rows[0].n;
    };

    it.each([
      ['config', { config: { note: 'a\u0000b' } }, /^\[1777\]\.config: A value contains/],
      ['name', { name: 'bad\u0000name' }, /^\[1777\]: A value contains/],
    ])(
      'should answer 400 naming row 1777 (bad %s) of a 2,000-row COPY batch and write nothing',
      async (_, bad, message) => {
        const prefix = uniquePrefix('copy');
        const items: object[] = buildAgents(2000, prefix);
        items[1777] = { ...items[1777], ...bad };

        const res = await fetch(`${base}/agents/batch`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify(items),
        });

        const body = (await res.json()) as { message: string };
        expect({ status: res.status, message: body.message }).toEqual({
          status: 400,
          message: expect.stringMatching(message),
        });
        expect(body.message).toContain('nothing was written');
        expect(await countByPrefix(prefix)).toBe(0);
      },
    );

    it('should answer 400 for the same bad row in a 500-row INSERT batch', async () => {
      const prefix = uniquePrefix('insert');
      const items: object[] = buildAgents(500, prefix);
      items[250] = { ...items[250], config: { note: 'a\u0000b' } };

      const res = await fetch(`${base}/agents/batch`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(items),
      });

      expect(res.status).toBe(400);
      expect(await countByPrefix(prefix)).toBe(0);
    });
  });

  it('should answer only 2xx or 503 + Retry-After while PostgreSQL stops, and recover without a restart', async () => {
    const load = new Load(base, auth, agentId, 4);
    await sleep(1000);
    // A statement running when the server shuts down gets 57P01 on its open connection.
    const inFlight = t.app
      .get(DataSource)
      .query('SELECT pg_sleep(0.9)')
      .then(
        () => undefined,
        (error: QueryFailedError) => error,
      );
    await sleep(200);

    const stoppedAt = Date.now();
    await pg.stop();
    const killed = await inFlight;
    const readyDownMs = await msUntilReady(503, 3000);
    await sleep(2000);
    await pg.start();
    const startedAt = Date.now();
    const recoveryMs = await msUntilServing();
    const readyUpMs = await msUntilReady(200, RECOVERY_BOUND_MS);
    await sleep(1000);
    const settledAt = Date.now();
    await sleep(1000);
    const samples = await load.stop();

    const during = samples.filter((s) => s.startedAt >= stoppedAt && s.startedAt < startedAt);
    const after = samples.filter((s) => s.startedAt >= settledAt);
    console.log(
      `[pg stop] all ${JSON.stringify(statusCounts(samples))}, during outage ${JSON.stringify(statusCounts(during))}, ` +
        `readiness 503 after ${readyDownMs} ms, DB routes back ${recoveryMs} ms and readiness 200 ${readyUpMs} ms after restart`,
    );
    expect(samples.filter((s) => !isAllowedDuringFault(s))).toEqual([]);
    expect(during.filter((s) => s.status === 503).length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((s) => s.status >= 300)).toEqual([]);
    expect(killed).toBeInstanceOf(QueryFailedError);
    expect(killed?.driverError).toMatchObject({ code: '57P01' });
    expect(classifyDriverError(killed?.driverError)).toMatchObject({ status: 503 });
  }, 60_000);

  it('should answer every request within the query timeout while PostgreSQL is frozen, and recover after', async () => {
    const load = new Load(base, auth, agentId, 4);
    await sleep(1000);

    await pg.freeze();
    const frozenAt = Date.now();
    const readyDownMs = await msUntilReady(503, 3000);
    await sleep(4000);
    pg.thaw();
    const thawedAt = Date.now();
    const recoveryMs = await msUntilServing();
    const readyUpMs = await msUntilReady(200, RECOVERY_BOUND_MS);
    await sleep(1000);
    const settledAt = Date.now();
    await sleep(1000);
    const samples = await load.stop();

    const during = samples.filter((s) => s.startedAt + s.ms >= frozenAt && s.startedAt < thawedAt);
    const maxMs = Math.max(...during.map((s) => s.ms));
    const after = samples.filter((s) => s.startedAt >= settledAt);
    console.log(
      `[pg freeze] all ${JSON.stringify(statusCounts(samples))}, during freeze ${JSON.stringify(statusCounts(during))}, ` +
        `max latency ${maxMs} ms (bound ${FREEZE_BOUND_MS}), readiness 503 after ${readyDownMs} ms, ` +
        `DB routes back ${recoveryMs} ms and readiness 200 ${readyUpMs} ms after thaw`,
    );
    expect(samples.filter((s) => !isAllowedDuringFault(s))).toEqual([]);
    expect(during.filter((s) => s.status === 503).length).toBeGreaterThan(0);
    expect(during.filter((s) => s.ms > FREEZE_BOUND_MS)).toEqual([]);
    expect(after.length).toBeGreaterThan(0);
    expect(after.filter((s) => s.status >= 300)).toEqual([]);
  }, 60_000);
});
