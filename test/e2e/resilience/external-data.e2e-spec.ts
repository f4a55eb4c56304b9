import { performance } from 'node:perf_hooks';
import request from 'supertest';
import { CircuitBreakerManager } from '../../../src/resilience';
import { startUpstream, Upstream } from '../../fixtures/resilience/upstream-server';
import { createTestApp, TestApp } from '../../helpers/test-app';

const TIMEOUT_MS = 300;
const FAILURE_TIMEOUT_MS = 1500;
/** Headroom over the deadline for the HTTP round trip on a loaded CI machine. */
const MARGIN_MS = 700;

interface Answer {
  status: number;
  body: { status?: string; data?: unknown; fetched_at?: string | null };
  ms: number;
}

describe('GET /external-data (e2e)', () => {
  let t: TestApp;
  let upstream: Upstream;
  let headers: { Authorization: string };
  const saved: Record<string, string | undefined> = {};

  const get = async (): Promise<Answer> => {
    const started = performance.now();
    const res = await request(t.server).get('/external-data').set(headers);
    return {
      status: res.status,
      body: res.body as Answer['body'],
      ms: performance.now() - started,
    };
  };
  const breaker = () => t.app.get(CircuitBreakerManager).require('external_api');

  beforeAll(async () => {
    upstream = await startUpstream();
    const env = {
      EXTERNAL_API__URL: upstream.url,
      RESILIENCE__BREAKERS__EXTERNAL_API__CALL_TIMEOUT_MS: String(TIMEOUT_MS),
      RESILIENCE__BREAKERS__EXTERNAL_API__FAILURE_THRESHOLD: '3',
      RESILIENCE__BREAKERS__EXTERNAL_API__FAILURE_TIMEOUT_MS: String(FAILURE_TIMEOUT_MS),
      RESILIENCE__BREAKERS__EXTERNAL_API__MAX_CONCURRENT: '50',
    };
    for (const [key, value] of Object.entries(env)) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
    t = await createTestApp();
    headers = { Authorization: t.auth('user').Authorization };
    // The fallback's last good copy: one live answer before the outages.
    const first = await get();
    expect(first.body.status).toBe('live');
  });

  beforeEach(async () => {
    await upstream.setMode('ok');
    breaker().reset();
  });

  afterAll(async () => {
    await t?.close();
    await upstream?.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
  });

  it('should take the per-breaker config from the env', () => {
    expect(breaker().options).toMatchObject({
      callTimeoutMs: TIMEOUT_MS,
      failureThreshold: 3,
      failureTimeoutMs: FAILURE_TIMEOUT_MS,
      maxConcurrent: 50,
    });
  });

  it('should answer live data when the upstream is up', async () => {
    const before = upstream.requests;

    const answer = await get();

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: 'live',
      data: upstream.body,
      fetched_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(upstream.requests).toBe(before + 1);
  });

  it.each(['failing', 'hanging', 'slow', 'closed'] as const)(
    'should answer the last good copy within the timeout when the upstream is %s',
    async (mode) => {
      upstream.slowMs = TIMEOUT_MS * 5;
      await upstream.setMode(mode);

      const answer = await get();

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        status: 'cached',
        data: upstream.body,
        fetched_at: expect.any(String),
      });
      expect(answer.ms).toBeLessThan(TIMEOUT_MS + MARGIN_MS);
      if (mode === 'hanging' || mode === 'slow') {
        expect(answer.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      }
    },
  );

  it('should abort the upstream request at the deadline, never leaving a request hung', async () => {
    await upstream.setMode('hanging');
    const aborted = upstream.abortedByClient;

    const answers = await Promise.all(Array.from({ length: 20 }, () => get()));

    expect(answers.every((a) => a.status === 200 && a.body.status === 'cached')).toBe(true);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(TIMEOUT_MS + MARGIN_MS * 2);
    // The per-call signal reached fetch: the upstream saw its clients go away.
    await waitFor(() => upstream.abortedByClient - aborted === 20);
    expect(breaker().metrics()).toMatchObject({ in_flight: 0, abandoned_in_flight: 0 });
  });

  it('should open after 3 failures and short-circuit to the fallback without the upstream', async () => {
    await upstream.setMode('failing');
    const before = upstream.requests;

    for (let i = 0; i < 3; i++) {
      expect((await get()).body.status).toBe('cached');
    }
    expect(upstream.requests).toBe(before + 3);
    expect(breaker().state).toBe('open');
    const rejectedBefore = breaker().counts.rejected_open;
    const shortCircuited = await Promise.all(Array.from({ length: 10 }, () => get()));

    expect(shortCircuited.every((a) => a.status === 200 && a.body.status === 'cached')).toBe(true);
    expect(upstream.requests).toBe(before + 3);
    expect(breaker().counts.rejected_open).toBe(rejectedBefore + 10);
    const stats = await request(t.server).get('/performance/stats').set(t.auth('admin'));
    expect(stats.body.circuit_breakers.external_api).toMatchObject({
      state: 'open',
      consecutive_failures: 3,
    });
  });

  it('should let a probe through after failure_timeout and close when the upstream is back', async () => {
    await upstream.setMode('failing');
    for (let i = 0; i < 3; i++) {
      await get();
    }
    expect(breaker().state).toBe('open');
    await upstream.setMode('ok');
    const before = upstream.requests;

    expect((await get()).body.status).toBe('cached');
    expect(upstream.requests).toBe(before);
    await waitFor(() => breaker().state === 'half_open', FAILURE_TIMEOUT_MS * 3);

    expect((await get()).body.status).toBe('live');
    expect(upstream.requests).toBe(before + 1);
    expect(breaker().state).toBe('closed');
  });
});

/** Polls `condition` every 10 ms until it holds (or fails after `timeoutMs`). */
async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
