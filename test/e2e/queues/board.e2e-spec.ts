import request from 'supertest';
import { BOARD_PATH } from '../../../src/queues';
import { createTestApp, TestApp } from '../../helpers/test-app';

describe('QueueBoard', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('should serve bull-board to admins only, by header or cookie', async () => {
    const { userId: _a, ...admin } = t.auth('admin');
    const { userId: _u, ...user } = t.auth();

    const anonymous = await request(t.server).get(`${BOARD_PATH}/api/queues`);
    const forbidden = await request(t.server).get(`${BOARD_PATH}/api/queues`).set(user);
    const allowed = await request(t.server).get(`${BOARD_PATH}/api/queues`).set(admin);
    const byCookie = await request(t.server)
      .get(BOARD_PATH)
      .set('Cookie', `access_token=${admin.Authorization.slice('Bearer '.length)}`);

    expect(anonymous.status).toBe(401);
    expect(forbidden.status).toBe(403);
    expect(allowed.status).toBe(200);
    const queues = (allowed.body as { queues: { name: string; readOnlyMode: boolean }[] }).queues;
    expect(queues.map((queue) => queue.name).sort()).toEqual(['compute', 'documents']);
    expect(queues.every((queue) => queue.readOnlyMode)).toBe(true);
    expect(byCookie.status).toBe(200);
  });

  it('should expose the queue metrics', async () => {
    const res = await request(t.server).get('/metrics');
    expect(res.text).toContain('bull_queue_jobs{queue="compute",state="waiting"}');
    expect(res.text).toContain('bull_queue_oldest_waiting_age_seconds');
  });
});
