import { registerAs } from '@nestjs/config';
import { IsOptional, Matches, ValidateBy, ValidateIf, ValidationArguments } from 'class-validator';
import { EnvBoolean, EnvInt, EnvOptionalInt, ProductionSecret, validateEnv } from '../config';

/** Dependency groups whose outage can be made to fail readiness. */
export const READINESS_GROUPS = ['database', 'redis', 'queues', 'breakers'] as const;
export type ReadinessGroup = (typeof READINESS_GROUPS)[number];

const GROUP = `(${READINESS_GROUPS.join('|')})`;
const GROUP_LIST = new RegExp(`^(none|\\s*${GROUP}\\s*(,\\s*${GROUP}\\s*)*)$`);

/** Whether this env must carry a metrics token: production serving /metrics, not opted out. */
function metricsTokenRequired(env: MonitoringEnv & { NODE_ENV?: string }): boolean {
  return (
    env.NODE_ENV === 'production' &&
    env.MONITORING__METRICS_ENABLED &&
    !env.MONITORING__METRICS_PUBLIC
  );
}

/** A bearer token of 16+ characters; validated only when set or required (see ValidateIf). */
function MetricsToken(): PropertyDecorator {
  return ValidateBy({
    name: 'metricsToken',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && value.length >= 16,
      defaultMessage: (args?: ValidationArguments) =>
        args?.value === undefined
          ? '$property is required when NODE_ENV=production (Prometheus sends it as a bearer token); set MONITORING__METRICS_PUBLIC=true to serve /metrics without it'
          : '$property must be at least 16 characters',
    },
  });
}

/** Env keys of probes, metrics, request timing and graceful shutdown. */
export class MonitoringEnv {
  /** Request timing (X-Process-Time, HTTP metrics, slow-request log). false = off, for benches. */
  @EnvBoolean()
  MONITORING__ENABLED = true;

  /** Serve Prometheus metrics at /metrics. */
  @EnvBoolean()
  MONITORING__METRICS_ENABLED = true;

  /**
   * When set, /metrics requires `Authorization: Bearer <token>`. Required in production unless
   * `MONITORING__METRICS_PUBLIC=true` or `MONITORING__METRICS_ENABLED=false`; in production not
   * a development, test or placeholder value.
   */
  @ValidateIf(
    (env: MonitoringEnv) =>
      env.MONITORING__METRICS_TOKEN !== undefined || metricsTokenRequired(env),
  )
  @MetricsToken()
  // 16-character tokens are allowed: only the markers are checked, not the entropy.
  @ProductionSecret({ minEntropyBits: 0 })
  MONITORING__METRICS_TOKEN?: string;

  /**
   * Serve /metrics without a token in production. Only when the port is not reachable from
   * outside (a private network, or a NetworkPolicy that admits Prometheus alone).
   */
  @EnvBoolean()
  MONITORING__METRICS_PUBLIC = false;

  /**
   * Port of the worker process's own HTTP listener (`npm run start:worker`): `/health/live`,
   * `/health/ready`, `/health/startup` and `/metrics`, on `HOST`. 0 = no listener. The API
   * process ignores it (it serves the same routes on `PORT`).
   */
  @EnvInt(0, 65535)
  MONITORING__WORKER_PORT = 3001;

  /**
   * Port of the management listener (like Spring Boot Actuator's `management.server.port`), on
   * `HOST`: `/metrics` (same token rule as on `PORT`), probe details, `/health/performance`,
   * `/performance/stats`, `/info`, `/cache`, `/resilience` and bull-board (`/admin/queues`),
   * which then answer 404 on `PORT`; the probes stay on `PORT` too, status only. Unset = no
   * listener, every route on `PORT`; 0 = any free port (tests).
   */
  @EnvOptionalInt(0, 65535)
  MONITORING__MANAGEMENT_PORT?: number;

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
    managementPort: env.MONITORING__MANAGEMENT_PORT,
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
