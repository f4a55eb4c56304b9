import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { monitoringConfig } from '../monitoring.config';
import { EventLoopMonitor } from './event-loop-monitor';
import { StartupState } from './lifecycle-state';
import { readinessHttpStatus } from './readiness';
import { ReadinessService } from './readiness.service';

/** A probe's verdict: HTTP status, body status and the details admins may see. */
export interface ProbeResult {
  httpStatus: number;
  status: string;
  details: Record<string, unknown>;
}

/** Decides the three Kubernetes probes. */
@Injectable()
export class ProbesService {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly startup: StartupState,
    private readonly eventLoop: EventLoopMonitor,
    @Inject(monitoringConfig.KEY) private readonly config: ConfigType<typeof monitoringConfig>,
  ) {}

  /** Liveness: the process and its event loop only; never a dependency, never shutdown. */
  live(): ProbeResult {
    const lagMs = Math.round(this.eventLoop.lagMs * 100) / 100;
    const ok = lagMs <= this.config.eventLoopLagMs;
    return {
      httpStatus: ok ? 200 : 503,
      status: ok ? 'ok' : 'down',
      details: {
        event_loop_lag_ms: lagMs,
        event_loop_lag_limit_ms: this.config.eventLoopLagMs,
        uptime_seconds: Math.round(process.uptime()),
      },
    };
  }

  /** Readiness: required dependencies up and not shutting down. */
  async ready(): Promise<ProbeResult> {
    const report = await this.readiness.evaluate();
    return {
      httpStatus: readinessHttpStatus(report.status),
      status: report.status,
      details: { checks: report.checks },
    };
  }

  /** Startup: 503 until bootstrap finished and every startup hold was released. */
  started(): ProbeResult {
    const ok = this.startup.started;
    return { httpStatus: ok ? 200 : 503, status: ok ? 'ok' : 'starting', details: {} };
  }
}
