import { registerAs } from '@nestjs/config';
import { EnvBoolean, EnvInt, validateEnv } from '../config';

/** Env keys of the Bull queues (retention, retries, stalled-job recovery, shutdown, board). */
export class QueuesEnv {
  /** Run the queue processors in this process; `false` makes an API-only (producer) process. */
  @EnvBoolean()
  QUEUES__PROCESS = true;

  /** Completed jobs (and their results) are kept this long, in seconds: the result TTL. */
  @EnvInt(1, 30 * 86400)
  QUEUES__REMOVE_ON_COMPLETE_AGE = 3600;

  /** At most this many completed jobs are kept per queue, whatever their age. */
  @EnvInt(1, 1000000)
  QUEUES__REMOVE_ON_COMPLETE_COUNT = 10000;

  /** Failed jobs (the dead list) are kept this long, in seconds. */
  @EnvInt(1, 365 * 86400)
  QUEUES__REMOVE_ON_FAIL_AGE = 7 * 86400;

  /** At most this many failed jobs are kept per queue. */
  @EnvInt(1, 1000000)
  QUEUES__REMOVE_ON_FAIL_COUNT = 50000;

  /** Attempts of a job whose task does not set its own (1 = no retry). */
  @EnvInt(1, 100)
  QUEUES__ATTEMPTS = 3;

  /** First retry delay of the exponential backoff, in ms (then x2 per attempt). */
  @EnvInt(0, 3600000)
  QUEUES__BACKOFF_MS = 1000;

  /** A worker's lock on an active job lasts this long, renewed at half of it, in ms. */
  @EnvInt(1000, 600000)
  QUEUES__LOCK_DURATION_MS = 15000;

  /** How often workers look for jobs whose worker died (stalled), in ms. */
  @EnvInt(1000, 600000)
  QUEUES__STALLED_INTERVAL_MS = 5000;

  /**
   * Times a job may stall (its worker died under it) before it fails for good. A stall does not
   * use one of the task's attempts (those count failed runs): deaths mostly come from outside the
   * job (deploys, OOM kills, lost nodes). 5 keeps a job alive through a run of unlucky deaths (1
   * failed ~0.5% of jobs over 6 worker kills) and still stops a job that kills every worker
   * taking it after 6 deaths.
   */
  @EnvInt(0, 100)
  QUEUES__MAX_STALLED_COUNT = 5;

  /** At shutdown: ms active jobs get to finish before they are handed back to the queue. */
  @EnvInt(0, 600000)
  QUEUES__SHUTDOWN_TIMEOUT_MS = 8000;

  /** Serve bull-board at /admin/queues (admin role). */
  @EnvBoolean()
  QUEUES__BOARD_ENABLED = true;

  /** bull-board shows queues but cannot retry, clean or remove jobs. */
  @EnvBoolean()
  QUEUES__BOARD_READ_ONLY = true;

  /**
   * Lifetime of a bull-board session after signing in at `/admin/queues/login`, in seconds: the
   * session cookie (HttpOnly, SameSite=Strict, Path=/admin/queues) and the short JWT it holds.
   */
  @EnvInt(60, 3600)
  QUEUES__BOARD_SESSION_TTL_S = 900;

  /** Time limit of an enqueue call, in ms; past it (Redis down) the request gets 503. */
  @EnvInt(50, 60000)
  QUEUES__ENQUEUE_TIMEOUT_MS = 2000;
}

/** Typed `queues` namespace. */
export const queuesConfig = registerAs('queues', () => {
  const env = validateEnv(QueuesEnv, process.env);
  return {
    process: env.QUEUES__PROCESS,
    removeOnComplete: {
      age: env.QUEUES__REMOVE_ON_COMPLETE_AGE,
      count: env.QUEUES__REMOVE_ON_COMPLETE_COUNT,
    },
    removeOnFail: { age: env.QUEUES__REMOVE_ON_FAIL_AGE, count: env.QUEUES__REMOVE_ON_FAIL_COUNT },
    attempts: env.QUEUES__ATTEMPTS,
    backoffMs: env.QUEUES__BACKOFF_MS,
    lockDurationMs: env.QUEUES__LOCK_DURATION_MS,
    stalledIntervalMs: env.QUEUES__STALLED_INTERVAL_MS,
    maxStalledCount: env.QUEUES__MAX_STALLED_COUNT,
    shutdownTimeoutMs: env.QUEUES__SHUTDOWN_TIMEOUT_MS,
    boardEnabled: env.QUEUES__BOARD_ENABLED,
    boardReadOnly: env.QUEUES__BOARD_READ_ONLY,
    boardSessionTtlSeconds: env.QUEUES__BOARD_SESSION_TTL_S,
    enqueueTimeoutMs: env.QUEUES__ENQUEUE_TIMEOUT_MS,
  };
});

/** The resolved `queues` config. */
export type QueuesConfig = ReturnType<typeof queuesConfig>;
