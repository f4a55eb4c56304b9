import type { BullRootModuleOptions } from '@nestjs/bull';
import type { QueuesConfig } from './queues.config';
import { hashTag } from '../redis';
import type { QueueConnections } from './queue-connections';

/**
 * Bull's key prefix of a queue: `<prefix>:bull` (keys `<prefix>:bull:<queue>:<kind>`). On a
 * cluster, Bull's scripts touch many keys of a queue at once, so all of them must sit on one slot:
 * the prefix gets the queue's own hash tag, `<prefix>:bull:{<prefix>:<queue>}`, which keeps each
 * queue on one slot and spreads different queues over the shards.
 */
export function bullQueuePrefix(keyPrefix: string, queue: string, cluster: boolean): string {
  return cluster ? `${keyPrefix}:bull:${hashTag(keyPrefix, queue)}` : `${keyPrefix}:bull`;
}

/**
 * Bull's root options from the config: our key prefix, the shared connection set, safe job
 * defaults (retries with exponential backoff, bounded retention of results and failures) and
 * lock / stalled-check timings tuned so a dead worker's job runs again within seconds.
 */
export function buildBullOptions(
  config: QueuesConfig,
  keyPrefix: string,
  connections: QueueConnections,
): BullRootModuleOptions {
  return {
    prefix: `${keyPrefix}:bull`,
    createClient: (type) => connections.create(type),
    settings: {
      lockDuration: config.lockDurationMs,
      lockRenewTime: Math.floor(config.lockDurationMs / 2),
      stalledInterval: config.stalledIntervalMs,
      // Stalls have their own limit; a stall does not spend one of the job's attempts, which
      // count failed runs (job-attempts.ts widens Bull's in-memory budget by the stalls).
      maxStalledCount: config.maxStalledCount,
    },
    defaultJobOptions: {
      attempts: config.attempts,
      backoff: { type: 'exponential', delay: config.backoffMs },
      // Never unbounded: results expire by age and by count, the dead list by age and count.
      removeOnComplete: { ...config.removeOnComplete },
      removeOnFail: { ...config.removeOnFail },
    },
  };
}
