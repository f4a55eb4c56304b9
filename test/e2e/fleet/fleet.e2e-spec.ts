import {
  measureCrossPodInvalidation,
  seedFleetAgent,
} from '../../fixtures/fleet/cross-pod-invalidation';
import { Fleet, startFleet } from '../../fixtures/fleet/fleet';
import { fleetBearer } from '../../fixtures/fleet/fleet-http';
import { measureFailover } from '../../fixtures/fleet/fleet-failover';
import { measureJobSpread } from '../../fixtures/fleet/fleet-jobs';
import { measureFleetSingleFlight } from '../../fixtures/fleet/fleet-single-flight';
import {
  FLEET_KEY_PREFIX,
  RedisTopology,
  startTopology,
} from '../../fixtures/fleet/redis-topology';

/**
 * The fleet as it runs in production, on loopback: 3 API processes and 2 workers (`src/main.ts`,
 * `src/worker.ts`) on a Redis primary, replica and sentinel of their own and the run's PostgreSQL
 * database, with the fleet lock on; last, the primary is killed under load. Sized for CI;
 * `npm run fleet` runs the full counts (standalone, sentinel or cluster; with replicas or
 * not) and prints the figures.
 */
describe('Fleet: 3 API pods and 2 workers on Redis Sentinel (e2e)', () => {
  let redis: RedisTopology | undefined;
  const admin = fleetBearer('admin');
  let fleet: Fleet | undefined;
  let agentId: string;

  beforeAll(async () => {
    redis = await startTopology('sentinel');
    agentId = await seedFleetAgent(process.env.DATABASE__URL!);
    fleet = await startFleet({
      env: { ...redis.env, REDIS__KEY_PREFIX: FLEET_KEY_PREFIX, CACHING__LOCK: 'true' },
    });
  }, 240_000);

  afterAll(async () => {
    await fleet?.stop();
    await redis?.stop();
  }, 60_000);

  it('should serve a write on pod A from pods B and C within the bound, every time', async () => {
    const report = await measureCrossPodInvalidation(fleet!, {
      agentId,
      writes: 100,
      authorization: admin,
    });

    console.log(
      `cross-pod invalidation over ${report.writes} writes x 2 readers: p50 ${report.p50Ms.toFixed(1)} ms, p99 ${report.p99Ms.toFixed(1)} ms, max ${report.maxMs.toFixed(1)} ms; ${report.staleReads} stale reads`,
    );
    expect(report.neverFresh).toBe(0);
    expect(report.samples).toHaveLength(200);
    // The figure is <= 50 ms (npm run fleet); this bound leaves room for a loaded CI box.
    expect(report.p99Ms).toBeLessThan(500);
  }, 120_000);

  it('should run the handler once for 300 cold requests spread over 3 pods (fleet lock on)', async () => {
    const report = await measureFleetSingleFlight(fleet!, {
      path: '/agents?size=7&page=3',
      requests: 300,
      authorization: admin,
    });

    expect(report.statuses).toEqual({ 200: 300 });
    expect(report.distinctBodies).toBe(1);
    expect(report.handlerRuns).toBe(1);
  }, 60_000);

  it('should complete every task, each worker taking a real share of them', async () => {
    const report = await measureJobSpread(fleet!, { tasks: 200, authorization: admin });

    console.log(
      `job spread: ${JSON.stringify(report.perWorker)} of ${report.tasks} in ${report.seconds.toFixed(1)} s`,
    );
    expect(report.lost).toBe(0);
    // The 35-65% is the figure of `npm run fleet` (1,000 tasks: 46-54% in its runs). Here
    // 200 tasks on a CI box where five processes share two cores: a worker that gets less CPU
    // takes fewer jobs (41.5% seen), so the bound only asserts that both take real work.
    for (const taken of Object.values(report.perWorker)) {
      expect(taken / report.tasks).toBeGreaterThanOrEqual(0.25);
      expect(taken / report.tasks).toBeLessThanOrEqual(0.75);
    }
  }, 150_000);

  it('should answer every cached read and lose no task when the Redis primary is killed', async () => {
    const report = await measureFailover(fleet!, {
      ratePerSecond: 150,
      windowMs: 9000,
      tasks: 200,
      authorization: admin,
      failover: redis!.failover!,
    });

    console.log(
      `failover: new primary after ${Math.round(report.failoverMs)} ms; ${report.errors} errors of ${report.requests} reads ${JSON.stringify(report.outcomes)}; enqueues refused for ${Math.round(report.degradedMs)} ms (${report.enqueueRetries} retries); ${report.lost} of ${report.tasks} tasks lost`,
    );
    // The failed requests themselves, so a red run says which pod, path and moment.
    expect(report.failures).toEqual([]);
    expect(report.errors).toBe(0);
    expect(report.requests).toBeGreaterThan(1000);
    expect(report.lost).toBe(0);
    // Sentinel: 1 s down-after plus the election; clients reconnect within their 2 s backoff cap.
    expect(report.failoverMs).toBeLessThan(20_000);
    expect(report.degradedMs).toBeLessThan(20_000);
  }, 150_000);
});
