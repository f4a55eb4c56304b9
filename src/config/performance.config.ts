import { registerAs } from '@nestjs/config';
import { EnvBoolean, EnvInt, EnvOneOf } from './env.decorators';
import { validateEnv } from './validate-env';

/** `PERFORMANCE__V8_PARALLEL_SCAVENGE`: `auto` turns parallel scavenges off under two CPUs. */
export const PARALLEL_SCAVENGE_MODES = ['auto', 'true', 'false'] as const;
export type ParallelScavengeMode = (typeof PARALLEL_SCAVENGE_MODES)[number];

/** The guide's `PERFORMANCE__*` tuning keys. */
export class PerformanceEnv {
  /** Concurrency of the compute task queue worker (jobs run at once per process). */
  @EnvInt(1, 256)
  PERFORMANCE__ASYNC_WORKER_COUNT = 4;

  /** Agents that may be executing at once per process; more get 503 + Retry-After. */
  @EnvInt(1, 100000)
  PERFORMANCE__MAX_CONCURRENT_AGENTS = 100;

  /** Open HTTP connections the server accepts at once (Node `server.maxConnections`). */
  @EnvInt(1, 1000000)
  PERFORMANCE__WORKER_CONNECTIONS = 2000;

  /** Process the documents of one batch in parallel (true) or one after another (false). */
  @EnvBoolean()
  PERFORMANCE__ENABLE_PARALLEL_PROCESSING = true;

  /** Concurrency of the document processing worker. */
  @EnvInt(1, 256)
  PERFORMANCE__DOCUMENT_PROCESSING_WORKERS = 4;

  /**
   * Load shedding: API requests get 503 + Retry-After while the event loop's mean delay (sampled
   * every 250 ms) is above this many ms. Probes and operator routes are never shed. 0 turns it off.
   */
  @EnvInt(0, 60000)
  PERFORMANCE__SHED_EVENT_LOOP_DELAY_MS = 100;

  /** Load shedding on V8 heap used (bytes); 0 means 90% of the heap limit (`--max-old-space-size`). */
  @EnvInt(0, Number.MAX_SAFE_INTEGER)
  PERFORMANCE__SHED_HEAP_USED_BYTES = 0;

  /** Load shedding on resident set size (bytes); 0 turns it off (set it below the pod's memory limit). */
  @EnvInt(0, Number.MAX_SAFE_INTEGER)
  PERFORMANCE__SHED_RSS_BYTES = 0;

  /** Seconds a shed request is told to wait (`Retry-After`). */
  @EnvInt(1, 3600)
  PERFORMANCE__SHED_RETRY_AFTER_S = 2;

  /**
   * V8's allocation-site pretenuring. Off by default (`--no-allocation-site-pretenuring`, set
   * before the app's code runs): it moved every pg row of every query to the old generation, with
   * 2.7x longer scavenge pauses and more mark-compacts on DB pages. `true` keeps V8's default.
   */
  @EnvBoolean()
  PERFORMANCE__V8_PRETENURING = false;

  /**
   * V8's parallel scavenges (`--parallel-scavenge`). `auto`: off when the process may use fewer
   * than two CPUs (affinity or cgroup quota), where V8's helper tasks take turns on the main
   * thread's core (a scavenge of cached hits took 0.92 ms instead of 0.59). `true` keeps V8's
   * default, `false` turns them off. Read before the app's code runs (`src/bootstrap/v8-flags.ts`).
   */
  @EnvOneOf(PARALLEL_SCAVENGE_MODES)
  PERFORMANCE__V8_PARALLEL_SCAVENGE: ParallelScavengeMode = 'auto';
}

/** Typed `performance` namespace. */
export const performanceConfig = registerAs('performance', () => {
  const env = validateEnv(PerformanceEnv, process.env);
  return {
    asyncWorkerCount: env.PERFORMANCE__ASYNC_WORKER_COUNT,
    maxConcurrentAgents: env.PERFORMANCE__MAX_CONCURRENT_AGENTS,
    workerConnections: env.PERFORMANCE__WORKER_CONNECTIONS,
    enableParallelProcessing: env.PERFORMANCE__ENABLE_PARALLEL_PROCESSING,
    documentProcessingWorkers: env.PERFORMANCE__DOCUMENT_PROCESSING_WORKERS,
    shedding: {
      maxEventLoopDelayMs: env.PERFORMANCE__SHED_EVENT_LOOP_DELAY_MS,
      maxHeapUsedBytes: env.PERFORMANCE__SHED_HEAP_USED_BYTES,
      maxRssBytes: env.PERFORMANCE__SHED_RSS_BYTES,
      retryAfterSeconds: env.PERFORMANCE__SHED_RETRY_AFTER_S,
    },
  };
});
