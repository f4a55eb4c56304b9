import request from 'supertest';
import {
  createResilienceScenarioApp,
  CRITICAL_BREAKER,
  OPTIONAL_BREAKER,
  ResilienceScenarioApp,
} from '../../fixtures/resilience/scenario-app';

describe('Resilience admin, metrics and health (e2e)', () => {
  let s: ResilienceScenarioApp;
  let admin: { Authorization: string };

  const post = (name: string, action: 'open' | 'close' | 'reset') =>
    request(s.server).post(`/resilience/breakers/${name}/${action}`).set(admin);
  const stateInStats = async (name: string): Promise<unknown> => {
    const res = await request(s.server).get('/performance/stats').set(admin).expect(200);
    return (res.body as { circuit_breakers: Record<string, { state: string }> }).circuit_breakers[
      name
    ].state;
  };

  beforeAll(async () => {
    s = await createResilienceScenarioApp();
    admin = s.auth('admin');
  });

  afterEach(async () => {
    await post(OPTIONAL_BREAKER, 'reset').expect(200);
    await post(CRITICAL_BREAKER, 'reset').expect(200);
  });

  afterAll(async () => {
    await s?.close();
  });

  it('should keep the admin endpoints to admins', async () => {
    for (const action of ['open', 'close', 'reset']) {
      const path = `/resilience/breakers/${OPTIONAL_BREAKER}/${action}`;
      await request(s.server).post(path).expect(401);
      await request(s.server).post(path).set(s.auth('user')).expect(403);
    }
    await request(s.server).get('/resilience/breakers').set(s.auth('user')).expect(403);
    expect(await stateInStats(OPTIONAL_BREAKER)).toBe('closed');
  });

  it('should 404 on an unknown breaker name', async () => {
    for (const action of ['open', 'close', 'reset'] as const) {
      const res = await post('no_such_breaker', action).expect(404);
      expect(res.body.message).toContain('no_such_breaker');
    }
  });

  it('should force open, force closed and reset, visible in /performance/stats', async () => {
    const opened = await post(OPTIONAL_BREAKER, 'open').expect(200);
    expect(opened.body).toMatchObject({ name: OPTIONAL_BREAKER, state: 'forced_open' });
    expect(await stateInStats(OPTIONAL_BREAKER)).toBe('forced_open');
    const rejected = await request(s.server).get(`/resilience-scenario/${OPTIONAL_BREAKER}`);
    expect(rejected.status).toBe(503);
    expect(rejected.headers['retry-after']).toBe('20');
    expect(rejected.body.message).toContain(OPTIONAL_BREAKER);

    await post(OPTIONAL_BREAKER, 'close').expect(200);
    expect(await stateInStats(OPTIONAL_BREAKER)).toBe('disabled');
    await request(s.server).get(`/resilience-scenario/${OPTIONAL_BREAKER}`).expect(200);

    await post(OPTIONAL_BREAKER, 'reset').expect(200);
    expect(await stateInStats(OPTIONAL_BREAKER)).toBe('closed');
    const list = await request(s.server).get('/resilience/breakers').set(admin).expect(200);
    expect(list.body[OPTIONAL_BREAKER]).toMatchObject({
      state: 'closed',
      calls: { success: 1, rejected_open: 1 },
    });
    const summary = await request(s.server).get('/health/performance').set(admin).expect(200);
    expect(summary.body.circuit_breakers).toMatchObject({ [OPTIONAL_BREAKER]: 'closed' });
  });

  it('should export circuit_breaker_state and circuit_breaker_calls_total in /metrics', async () => {
    await post(OPTIONAL_BREAKER, 'open').expect(200);
    await request(s.server).get(`/resilience-scenario/${OPTIONAL_BREAKER}`).expect(503);

    const res = await request(s.server).get('/metrics').expect(200);

    expect(res.text).toContain('# TYPE circuit_breaker_state gauge');
    expect(res.text).toMatch(new RegExp(`circuit_breaker_state\\{name="${OPTIONAL_BREAKER}"\\} 3`));
    expect(res.text).toMatch(new RegExp(`circuit_breaker_state\\{name="${CRITICAL_BREAKER}"\\} 0`));
    expect(res.text).toContain('# TYPE circuit_breaker_calls_total counter');
    expect(res.text).toMatch(
      new RegExp(
        `circuit_breaker_calls_total\\{name="${OPTIONAL_BREAKER}",outcome="rejected_open"\\} [1-9]`,
      ),
    );
  });

  it('should keep readiness 200 (reported) with an open non-critical breaker', async () => {
    await post(OPTIONAL_BREAKER, 'open').expect(200);

    const anonymous = await request(s.server).get('/health/ready').expect(200);
    expect(anonymous.body).toEqual({ status: 'degraded' });
    const detailed = await request(s.server).get('/health/ready').set(admin).expect(200);
    expect(detailed.body.details.checks[`breaker:${OPTIONAL_BREAKER}`]).toMatchObject({
      status: 'down',
      required: false,
      details: { state: 'forced_open' },
    });
    await request(s.server).get('/health/live').expect(200);
  });

  it('should fail readiness (503) with an open critical breaker, never liveness', async () => {
    await post(CRITICAL_BREAKER, 'open').expect(200);

    const ready = await request(s.server).get('/health/ready').expect(503);
    expect(ready.body).toEqual({ status: 'down' });
    await request(s.server).get('/health/live').expect(200);

    await post(CRITICAL_BREAKER, 'reset').expect(200);
    await request(s.server).get('/health/ready').expect(200);
  });
});
