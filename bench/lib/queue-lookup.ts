import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { getJobQueueToken, JobQueue, type JobState } from '../../src/queues';
import { spawnBenchApp } from './app-process';
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

/** HTTP latencies at one client concurrency, with the rate the app sustained. */
export interface HttpLatency extends LookupLatency {
  concurrency: number;
  requestsPerSecond: number;
}

/** Latencies of the lookups of completed compute tasks. */
export interface ComputeLookups extends LookupComparison {
  /** `GET /compute/{id}` over loopback HTTP (auth, validation, owner check, DTO): one client. */
  http: HttpLatency;
  /** The same with {@link LOAD_CLIENTS} clients polling at once, as fast as answers come. */
  httpUnderLoad: HttpLatency;
  /** `GET /health/live` the same ways: the floor of the HTTP stack on this machine. */
  live: HttpLatency;
  liveUnderLoad: HttpLatency;
}

/** Clients polling at once in the under-load run (each waits for its answer, then asks again). */
export const LOAD_CLIENTS = 10;
/** Lookups of the under-load run, spread over the clients. */
const LOAD_LOOKUPS = 20_000;

const WARM_UP = 200;
/**
 * Unmeasured HTTP requests before each HTTP run: a freshly booted app answers its first ~1,000
 * requests (about a second) up to 10x slower while V8 compiles the request path.
 */
const HTTP_WARM_UP = 3000;

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

/**
 * `total` GETs (`pathOf(i)`) from `concurrency` keep-alive clients, each sending its next request
 * when the previous answer is read, after {@link HTTP_WARM_UP} unmeasured ones of the same shape. The client is node:http in
 * this process; the app runs in a child process, so the two never share an event loop.
 */
async function httpLatency(
  baseUrl: string,
  headers: Record<string, string>,
  pathOf: (i: number) => string,
  concurrency: number,
  total: number,
  check: (status: number, body: string) => boolean,
): Promise<HttpLatency> {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      request({ hostname, port, path, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString();
          if (check(response.statusCode ?? 0, body)) {
            resolve();
          } else {
            reject(new Error(`GET ${path}: ${response.statusCode} ${body.slice(0, 200)}`));
          }
        });
      })
        .on('error', reject)
        .end();
    });
  const run = async (count: number): Promise<number[]> => {
    const ms: number[] = [];
    let next = 0;
    const client = async () => {
      for (let i = next++; i < count; i = next++) {
        const started = performance.now();
        await get(pathOf(i));
        ms.push(performance.now() - started);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    return ms;
  };
  try {
    await run(HTTP_WARM_UP);
    const started = performance.now();
    const ms = await run(total);
    const seconds = (performance.now() - started) / 1000;
    return {
      concurrency,
      requestsPerSecond: total / seconds,
      p50: percentile(ms, 0.5),
      p99: percentile(ms, 0.99),
    };
  } finally {
    agent.destroy();
  }
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
 * lookups of those ids in-process (ours and Bull's). Then it closes `bench` (so nothing else runs
 * on the client's event loop) and times them over HTTP against an instance on the same prefix in
 * a child process, as an API pod (`QUEUES__PROCESS=false`): one client at a time, then
 * {@link LOAD_CLIENTS} clients at once.
 */
export async function measureComputeLookups(
  bench: BenchApp,
  keyPrefix: string,
  count: number,
  timeoutMs: number,
): Promise<ComputeLookups> {
  let inProcess: LookupComparison;
  let ids: string[];
  const headers = bench.headers();
  try {
    const queue = bench.app.get<JobQueue>(getJobQueueToken('compute'));
    ids = await queue.addBulk(
      Array.from({ length: count }, () => ({
        name: 'heavy_computation',
        data: { owner_id: BENCH_USER_ID, numbers: [1, 2, 3], iterations: 1 },
        options: { jobId: randomUUID() },
      })),
    );
    await waitForCompleted(queue, count, timeoutMs);
    inProcess = await compareLookups(queue, ids, 'completed');
  } finally {
    await bench.close();
  }
  const api = await spawnBenchApp({ REDIS__KEY_PREFIX: keyPrefix, QUEUES__PROCESS: 'false' });
  try {
    const task = (i: number) => `/compute/${ids[i % ids.length]}`;
    const completed = (status: number, body: string) =>
      status === 200 && (JSON.parse(body) as { status?: string }).status === 'completed';
    const live = () => '/health/live';
    const ok = (status: number) => status === 200;
    return {
      ...inProcess,
      http: await httpLatency(api.baseUrl, headers, task, 1, count, completed),
      httpUnderLoad: await httpLatency(
        api.baseUrl,
        headers,
        task,
        LOAD_CLIENTS,
        LOAD_LOOKUPS,
        completed,
      ),
      live: await httpLatency(api.baseUrl, {}, live, 1, count, ok),
      liveUnderLoad: await httpLatency(api.baseUrl, {}, live, LOAD_CLIENTS, LOAD_LOOKUPS, ok),
    };
  } finally {
    await api.close();
  }
}
