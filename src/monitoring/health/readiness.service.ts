import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { monitoringConfig } from '../monitoring.config';
import { ShutdownState } from './lifecycle-state';
import { aggregateReadiness, CheckResult, ReadinessStatus, runCheck } from './readiness';
import { ReadinessCheck, ReadinessRegistry } from './readiness.registry';

/** The full readiness report (admins see all of it, others only `status`). */
export interface ReadinessReport {
  status: ReadinessStatus;
  checks: Record<string, CheckResult>;
}

/**
 * Runs every registered check in parallel, each within its timeout, and aggregates them.
 * Logs one line per check state change, not one per probe.
 */
@Injectable()
export class ReadinessService {
  private readonly logger = new Logger('Readiness');
  private readonly required: ReadonlySet<string>;
  private readonly lastStatus = new Map<string, CheckResult['status']>();

  constructor(
    private readonly registry: ReadinessRegistry,
    private readonly shutdown: ShutdownState,
    @Inject(monitoringConfig.KEY) private readonly config: ConfigType<typeof monitoringConfig>,
  ) {
    this.required = new Set(config.readinessRequired);
  }

  /** Evaluates readiness now; during shutdown it answers at once without running checks. */
  async evaluate(): Promise<ReadinessReport> {
    if (this.shutdown.shuttingDown) {
      return { status: 'shutting_down', checks: {} };
    }
    const checks = this.registry.list();
    const results = await Promise.all(checks.map((check) => this.run(check)));
    const report: ReadinessReport = { status: aggregateReadiness(results), checks: {} };
    checks.forEach((check, index) => (report.checks[check.name] = results[index]));
    return report;
  }

  private async run(check: ReadinessCheck): Promise<CheckResult> {
    const outcome = await runCheck(check.check, check.timeoutMs ?? this.config.checkTimeoutMs);
    const result: CheckResult = {
      status: outcome.up ? 'up' : 'down',
      required: check.critical === true || this.required.has(check.group ?? check.name),
      response_time_ms: Math.round(outcome.elapsedMs * 100) / 100,
      ...(outcome.details ? { details: outcome.details } : {}),
    };
    this.logChange(check.name, result);
    return result;
  }

  private logChange(name: string, result: CheckResult): void {
    const previous = this.lastStatus.get(name);
    this.lastStatus.set(name, result.status);
    if (previous === result.status || (previous === undefined && result.status === 'up')) {
      return;
    }
    const line = { msg: 'Readiness check changed', check: name, status: result.status };
    if (result.status === 'down') {
      this.logger.warn({ ...line, required: result.required, details: result.details });
    } else {
      this.logger.log(line);
    }
  }
}
