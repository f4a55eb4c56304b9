import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { getJobQueueToken, JobQueue } from '../../../src/queues';
import { createTestApp, TestApp } from '../../helpers/test-app';

type QueueEntry = { jobs: Record<string, number> | null; jobs_status: string };
type Stats = { queues: { queues: Record<string, QueueEntry> } };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Queue counts in /performance/stats (e2e)', () => {
  describe('with Redis', () => {
    let t: TestApp;
    let admin: Record<string, string>;
    const stats = async (): Promise<Stats> =>
      (await request(t.server).get('/performance/stats').set(admin).expect(200)).body as Stats;

    beforeAll(async () => {
      t = await createTestApp();
      const { userId: _userId, ...headers } = t.auth('admin');
      admin = headers;
    });
    afterAll(() => t.close());

    it('should show a completed job without any /metrics scrape', async () => {
      const { userId: _userId, ...user } = t.auth();
      const accepted = await request(t.server)
        .post('/compute')
        .set(user)
        .send({ numbers: [1, 2, 3], iterations: 1 })
        .expect(202);
      const taskId = (accepted.body as { task_id: string }).task_id;
      const deadline = Date.now() + 20_000;
      let status = '';
      while (status !== 'completed' && Date.now() < deadline) {
        await sleep(100);
        const res = await request(t.server).get(`/compute/${taskId}`).set(user);
        status = (res.body as { status: string }).status;
      }
      expect(status).toBe('completed');
      // Counts read before the job completed may serve for up to a second.
      await sleep(1100);

      const compute = (await stats()).queues.queues.compute;

      expect(compute.jobs_status).toBe('ok');
      expect(compute.jobs?.completed).toBeGreaterThanOrEqual(1);
    });

    it("should read the counts once a second for stats calls, and share a scrape's read", async () => {
      const queue = t.app.get<JobQueue>(getJobQueueToken('compute'));
      const getJobCounts = jest.spyOn(queue.bull, 'getJobCounts');
      try {
        await sleep(1100); // let earlier reads expire
        const startedAt = Date.now();
        await Promise.all([stats(), stats(), stats()]);
        await stats();
        const statsReads = getJobCounts.mock.calls.length;
        // A scrape reads afresh (its gauges agree with the job counters beside them) ...
        await request(t.server).get('/metrics').expect(200);
        const scrapeReads = getJobCounts.mock.calls.length - statsReads;
        // ... and the stats call after it reuses that read.
        await stats();
        const elapsed = Date.now() - startedAt;

        expect(scrapeReads).toBe(1);
        if (elapsed < 1000) {
          expect(statsReads).toBe(1);
          expect(getJobCounts).toHaveBeenCalledTimes(2);
        } else {
          // A machine too loaded to make five calls in a second: still at most one read a second.
          expect(statsReads).toBeLessThanOrEqual(Math.ceil(elapsed / 1000));
        }
        await sleep(1100);
        await stats();
        expect(getJobCounts.mock.calls.length).toBeGreaterThan(statsReads + scrapeReads);
      } finally {
        getJobCounts.mockRestore();
      }
    });
  });

  describe('with Redis not answering', () => {
    const realUrl = process.env.REDIS__URL;
    afterAll(() => {
      process.env.REDIS__URL = realUrl;
    });

    it('should answer within the timeout with null counts marked unavailable', async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise((resolve) => server.close(resolve));
      process.env.REDIS__URL = `redis://127.0.0.1:${port}`;
      const t = await createTestApp();
      try {
        const { userId: _userId, ...admin } = t.auth('admin');
        const startedAt = Date.now();
        const res = await request(t.server).get('/performance/stats').set(admin).expect(200);
        const elapsed = Date.now() - startedAt;

        const queues = (res.body as Stats).queues.queues;
        expect(queues.compute).toMatchObject({ jobs: null, jobs_status: 'unavailable' });
        expect(queues.documents).toMatchObject({ jobs: null, jobs_status: 'unavailable' });
        expect(elapsed).toBeLessThan(3000);
      } finally {
        await t.close();
      }
    });
  });
});
