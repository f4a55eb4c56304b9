import { randomUUID } from 'node:crypto';
import { getJobQueueToken, JobQueue, type JobState } from '../../src/queues';
import type { BenchApp } from './bench-app';
import { BENCH_USER_ID } from './bench-database';
import { percentile } from './percentile';
import { sample } from './timer';

/** p50 / p99 of one way of looking a task up, in ms. */
export interface LookupLatency {
  p50: number;
  p99: number;
}

/** Our one-script lookup and Bull's `getJob` + `getState` of the same ids, in-process. */
export interface LookupComparison {
  ours: LookupLatency;
  bull: LookupLatency;
}

/** Latencies of the lookups of completed compute tasks. */
export interface ComputeLookups extends LookupComparison {
  /** `GET /compute/{id}` over loopback HTTP (auth, validation, owner check, DTO). */
  http: LookupLatency;
  /** `GET /health/live` the same way: the floor of the HTTP stack on this machine. */
  live: LookupLatency;
}

const WARM_UP = 200;

/** Looks every id up once in a row (after a warm-up) and summarises the latencies. */
async function latency(ids: string[], lookup: (id: string) => Promise<void>) {
  await sample(Math.min(WARM_UP, ids.length), (i) => lookup(ids[i]));
  const ms = await sample(ids.length, (i) => lookup(ids[i]));
  return { p50: percentile(ms, 0.5), p99: percentile(ms, 0.99) };
}

/** Times `JobQueue.get` and Bull's `getJob` + `getState` on ids that are all in `state`. */
export async function compareLookups(
  queue: JobQueue,
  ids: string[],
  state: JobState,
): Promise<LookupComparison> {
  const bullState = state === 'queued' ? 'waiting' : state;
  const ours = await latency(ids, async (id) => {
    if ((await queue.get(id))?.state !== state) {
      throw new Error(`JobQueue.get(${id}) did not find a ${state} job`);
    }
  });
  const bull = await latency(ids, async (id) => {
    const job = await queue.bull.getJob(id);
    if (!job || (await job.getState()) !== bullState) {
      throw new Error(`Bull getJob(${id}) did not find a ${bullState} job`);
    }
  });
  return { ours, bull };
}

async function waitForCompleted(queue: JobQueue, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.counts();
    if (counts.failed > 0) {
      throw new Error(`compute jobs failed: ${JSON.stringify(counts)}`);
    }
    if (counts.completed >= count) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`compute jobs not done in ${timeoutMs} ms: ${JSON.stringify(counts)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * On an app whose key prefix holds nothing else: enqueues `count` small `heavy_computation`
 * tasks owned by the bench user, waits until the app's worker completed them, then times
 * `count` sequential lookups of those ids in-process (ours and Bull's) and over HTTP.
 */
export async function measureComputeLookups(
  bench: BenchApp,
  count: number,
  timeoutMs: number,
): Promise<ComputeLookups> {
  const queue = bench.app.get<JobQueue>(getJobQueueToken('compute'));
  const ids = await queue.addBulk(
    Array.from({ length: count }, () => ({
      name: 'heavy_computation',
      data: { owner_id: BENCH_USER_ID, numbers: [1, 2, 3], iterations: 1 },
      options: { jobId: randomUUID() },
    })),
  );
  await waitForCompleted(queue, count, timeoutMs);
  const headers = bench.headers();
  const http = await latency(ids, async (id) => {
    const response = await fetch(`${bench.baseUrl}/compute/${id}`, { headers });
    const body = (await response.json()) as { status?: string };
    if (response.status !== 200 || body.status !== 'completed') {
      throw new Error(`GET /compute/${id}: ${response.status} ${JSON.stringify(body)}`);
    }
  });
  const live = await latency(ids, async () => {
    const response = await fetch(`${bench.baseUrl}/health/live`);
    await response.arrayBuffer();
    if (response.status !== 200) {
      throw new Error(`GET /health/live: ${response.status}`);
    }
  });
  return { ...(await compareLookups(queue, ids, 'completed')), http, live };
}
