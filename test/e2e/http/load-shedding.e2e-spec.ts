import request from 'supertest';
import { createTestApp, TestApp } from '../../helpers/test-app';

const SAMPLE_MS = 250;
/** The suites' bound (off, see test/setup/env.ts), restored after each case. */
const DELAY_BOUND = process.env.PERFORMANCE__SHED_EVENT_LOOP_DELAY_MS;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Saturates the event loop the app shares with this test, as a flood of requests would: for
 * `ms`, every turn of the loop is busy for 50 ms. (One long block would not do: Node's delay
 * histogram records the ticks around it, not the block.)
 */
async function saturateLoop(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const turn = Date.now() + 50;
    while (Date.now() < turn) {
      // busy
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Asks `/templates` every sample until it is not shed; returns the last status. */
async function servedWithin(t: TestApp, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  for (;;) {
    const { status } = await request(t.server).get('/templates').set(t.auth());
    if (status !== 503 || Date.now() > deadline) {
      return status;
    }
    await sleep(SAMPLE_MS);
  }
}

describe('Load shedding (e2e)', () => {
  describe('past the event-loop delay bound', () => {
    let t: TestApp;

    beforeAll(async () => {
      process.env.PERFORMANCE__SHED_EVENT_LOOP_DELAY_MS = '20';
      process.env.PERFORMANCE__SHED_RETRY_AFTER_S = '3';
      t = await createTestApp();
    });

    afterAll(async () => {
      await t.close();
      process.env.PERFORMANCE__SHED_EVENT_LOOP_DELAY_MS = DELAY_BOUND;
      delete process.env.PERFORMANCE__SHED_RETRY_AFTER_S;
    });

    it('should answer API requests 503 + Retry-After, keep probes and metrics up, and recover', async () => {
      // Booting kept the loop busy too: wait for the samples that follow it.
      await expect(servedWithin(t, 10_000)).resolves.toBe(200);

      // Ticks of the delay histogram now come ~50 ms apart: a mean delay of ~40 ms, past 20 ms.
      // Ask until the API is shed; probes and metrics must answer every time.
      await saturateLoop(1000);
      const deadline = Date.now() + 3_000;
      let api: request.Response;
      do {
        const [apiRes, ...operator] = await Promise.all([
          request(t.server).get('/templates').set(t.auth()),
          request(t.server).get('/health/live'),
          request(t.server).get('/health/ready'),
          request(t.server).get('/metrics'),
        ]);
        api = apiRes;
        expect(operator.map((res) => res.status)).toEqual([200, 200, 200]);
        if (api.status !== 503) {
          await sleep(20);
        }
      } while (api.status !== 503 && Date.now() < deadline);

      expect(api.status).toBe(503);
      expect(api.headers['retry-after']).toBe('3');
      expect(api.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Server overloaded, retry after 3 s',
      });

      // The next samples see an idle loop: API requests are served again.
      await expect(servedWithin(t, 10_000)).resolves.toBe(200);
    });
  });

  describe('past the heap bound', () => {
    let t: TestApp;

    beforeAll(async () => {
      process.env.PERFORMANCE__SHED_HEAP_USED_BYTES = '1';
      t = await createTestApp();
      // The first sample is taken one interval after boot.
      await sleep(SAMPLE_MS * 3);
    });

    afterAll(async () => {
      await t.close();
      delete process.env.PERFORMANCE__SHED_HEAP_USED_BYTES;
    });

    it('should shed every API request (404s included) and no probe or operator route', async () => {
      const api = await request(t.server).get('/templates').set(t.auth());
      expect(api.status).toBe(503);
      expect(api.headers['retry-after']).toBe('2');
      expect((await request(t.server).get('/no-such-route')).status).toBe(503);

      for (const path of ['/health/live', '/health/ready', '/health/startup', '/metrics']) {
        expect([path, (await request(t.server).get(path)).status]).toEqual([path, 200]);
      }
    });
  });

  it('should refuse a bound that is not a number, naming the key', async () => {
    process.env.PERFORMANCE__SHED_EVENT_LOOP_DELAY_MS = 'soon';
    try {
      await expect(createTestApp()).rejects.toThrow(/PERFORMANCE__SHED_EVENT_LOOP_DELAY_MS/);
    } finally {
      process.env.PERFORMANCE__SHED_EVENT_LOOP_DELAY_MS = DELAY_BOUND;
    }
  });
});
