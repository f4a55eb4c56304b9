import { registerAs } from '@nestjs/config';
import { IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { EnvBoolean, EnvInt, validateEnv } from '../config';

/** Dependency groups whose outage can be made to fail readiness. */
export const READINESS_GROUPS = ['database', 'redis', 'queues', 'breakers'] as const;
export type ReadinessGroup = (typeof READINESS_GROUPS)[number];

const GROUP = `(${READINESS_GROUPS.join('|')})`;
const GROUP_LIST = new RegExp(`^(none|\\s*${GROUP}\\s*(,\\s*${GROUP}\\s*)*)$`);

/** Env keys of probes, metrics, request timing and graceful shutdown. */
export class MonitoringEnv {
  /** Request timing (X-Process-Time, HTTP metrics, slow-request log). false = off, for benches. */
  @EnvBoolean()
  MONITORING__ENABLED = true;

  /** Serve Prometheus metrics at /metrics. */
  @EnvBoolean()
  MONITORING__METRICS_ENABLED = true;

  /** When set, /metrics requires `Authorization: Bearer <token>`. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  MONITORING__METRICS_TOKEN?: string;

  /**
   * Port of the worker process's own HTTP listener (`npm run start:worker`): `/health/live`,
   * `/health/ready`, `/health/startup` and `/metrics`, on `HOST`. 0 = no listener. The API
   * process ignores it (it serves the same routes on `PORT`).
   */
  @EnvInt(0, 65535)
  MONITORING__WORKER_PORT = 3001;

  /** Groups whose outage makes /health/ready 503 (comma list, or `none`); others only degrade it. */
  @Matches(GROUP_LIST, {
    message: `$property must be "none" or a comma list of ${READINESS_GROUPS.join(', ')}`,
  })
  MONITORING__READINESS_REQUIRED = 'database';

  /** Time limit of each readiness check, in ms; a check that takes longer is down. */
  @EnvInt(10, 60000)
  MONITORING__CHECK_TIMEOUT_MS = 1000;

  /** Liveness fails when the event loop lags more than this, in ms. */
  @EnvInt(10, 600000)
  MONITORING__EVENT_LOOP_LAG_MS = 1000;

  /** Requests slower than this are logged and counted as slow, in ms. */
  @EnvInt(1, 3600000)
  MONITORING__SLOW_REQUEST_MS = 1000;

  /** After SIGTERM: ms to keep serving (readiness 503) so load balancers drop this instance. */
  @EnvInt(0, 600000)
  MONITORING__SHUTDOWN_DRAIN_MS = 5000;

  /** After the drain: ms allowed for in-flight requests and closing resources before exit 1. */
  @EnvInt(100, 600000)
  MONITORING__SHUTDOWN_TIMEOUT_MS = 10000;

  /** Git revision shown by /info (set by the image build). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: '$property must be a git revision' })
  MONITORING__GIT_REVISION?: string;
}

/** Parses the required-groups list (`none` = no group is required). */
export function parseRequiredGroups(value: string): ReadinessGroup[] {
  if (value.trim() === 'none') {
    return [];
  }
  return [...new Set(value.split(',').map((item) => item.trim() as ReadinessGroup))];
}

/** Typed `monitoring` namespace. */
export const monitoringConfig = registerAs('monitoring', () => {
  const env = validateEnv(MonitoringEnv, process.env);
  return {
    enabled: env.MONITORING__ENABLED,
    metricsEnabled: env.MONITORING__METRICS_ENABLED,
    metricsToken: env.MONITORING__METRICS_TOKEN,
    workerPort: env.MONITORING__WORKER_PORT,
    readinessRequired: parseRequiredGroups(env.MONITORING__READINESS_REQUIRED),
    checkTimeoutMs: env.MONITORING__CHECK_TIMEOUT_MS,
    eventLoopLagMs: env.MONITORING__EVENT_LOOP_LAG_MS,
    slowRequestMs: env.MONITORING__SLOW_REQUEST_MS,
    shutdownDrainMs: env.MONITORING__SHUTDOWN_DRAIN_MS,
    shutdownTimeoutMs: env.MONITORING__SHUTDOWN_TIMEOUT_MS,
    gitRevision: env.MONITORING__GIT_REVISION ?? 'unknown',
  };
});

export type MonitoringConfig = ReturnType<typeof monitoringConfig>;
