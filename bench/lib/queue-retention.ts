import Redis from 'ioredis';
import { NOOP_TASK, startQueueBench } from './queue-bench.module';
import type { Measurement } from './scenario';
import { redisUsage, type RedisUsage } from './redis-usage';

/** Redis usage of the queue's prefix after `jobs` jobs ran. */
export interface RetentionSample extends RedisUsage {
  jobs: number;
}

/** Shape of a retention run. */
export interface RetentionOptions {
  redisUrl: string;
  /** Key prefix of this run only (deleted by the caller). */
  prefix: string;
  jobs: number;
  /** Jobs enqueued, then run to the end, between two samples. */
  batch: number;
  concurrency: number;
  /** Extra env of the worker, e.g. `QUEUES__REMOVE_ON_COMPLETE_COUNT`. */
  env?: Record<string, string>;
  timeoutMs: number;
}

/**
 * Runs `jobs` noop jobs through one context that enqueues and processes, `batch` at a time, and
 * samples the keys and bytes under the prefix after each batch: with retention they level off
 * once the completed set reaches its cap.
 */
export async function runRetention(options: RetentionOptions): Promise<RetentionSample[]> {
  const context = await startQueueBench({
    ...options.env,
    REDIS__URL: options.redisUrl,
    REDIS__KEY_PREFIX: options.prefix,
    PERFORMANCE__ASYNC_WORKER_COUNT: String(options.concurrency),
    QUEUES__PROCESS: 'true',
  });
  const redis = new Redis(options.redisUrl);
  const samples: RetentionSample[] = [];
  try {
    for (let done = 0; done < options.jobs;) {
      const size = Math.min(options.batch, options.jobs - done);
      for (let start = 0; start < size; start += 1000) {
        await context.queue.addBulk(
          Array.from({ length: Math.min(1000, size - start) }, () => ({
            name: NOOP_TASK,
            data: {},
          })),
        );
      }
      done += size;
      await context.clock.waitFor(done, options.timeoutMs);
      samples.push({ jobs: done, ...(await redisUsage(redis, options.prefix)) });
    }
    if (context.clock.failed > 0) {
      throw new Error(`retention run: ${context.clock.failed} jobs failed`);
    }
    return samples;
  } finally {
    await context.close();
    redis.disconnect();
  }
}

/**
 * Two rows from a retention run: keys and `MEMORY USAGE` at the end vs at the half-way sample
 * (a ratio near 1 is flat), with every sample's key count in the notes.
 */
export function retentionMeasurements(samples: RetentionSample[]): Measurement[] {
  const half = samples[Math.floor(samples.length / 2) - 1] ?? samples[0];
  const end = samples[samples.length - 1];
  const series = samples.map((s) => `${s.jobs}: ${s.keys}`).join(', ');
  const notes = `default caps (QUEUES__REMOVE_ON_COMPLETE_COUNT 10000); keys after jobs ${series}`;
  return [
    {
      metric: `redis keys after ${end.jobs} jobs`,
      value: end.keys,
      unit: 'keys',
      baseline: `keys after ${half.jobs} jobs`,
      baselineValue: half.keys,
      better: 'lower',
      notes,
    },
    {
      metric: `redis MEMORY USAGE after ${end.jobs} jobs`,
      value: end.bytes / 1024,
      unit: 'KiB',
      baseline: `after ${half.jobs} jobs`,
      baselineValue: half.bytes / 1024,
      better: 'lower',
      notes: `sum of MEMORY USAGE over the prefix's keys; ${notes}`,
    },
  ];
}
