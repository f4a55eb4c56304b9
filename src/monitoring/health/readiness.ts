import type { CheckOutcome } from './readiness.registry';

/** Overall readiness: `degraded` still serves traffic (HTTP 200). */
export type ReadinessStatus = 'ok' | 'degraded' | 'down' | 'shutting_down';

/** One check's result in the readiness report. */
export interface CheckResult {
  status: 'up' | 'down';
  /** Whether an outage of this check fails readiness. */
  required: boolean;
  response_time_ms: number;
  details?: Record<string, unknown>;
}

/** Aggregates check results: any required check down -> down; any other down -> degraded. */
export function aggregateReadiness(results: readonly CheckResult[]): ReadinessStatus {
  if (results.some((result) => result.status === 'down' && result.required)) {
    return 'down';
  }
  return results.some((result) => result.status === 'down') ? 'degraded' : 'ok';
}

/** HTTP status of a readiness status. */
export function readinessHttpStatus(status: ReadinessStatus): number {
  return status === 'ok' || status === 'degraded' ? 200 : 503;
}

/**
 * Runs a check within `timeoutMs`; a rejection or a timeout is `down` (the reason is kept in
 * the details, which only admins see).
 */
export async function runCheck(
  check: () => Promise<CheckOutcome>,
  timeoutMs: number,
): Promise<CheckOutcome & { elapsedMs: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(
      () => resolve({ up: false, details: { reason: `timed out after ${timeoutMs} ms` } }),
      timeoutMs,
    );
  });
  try {
    const outcome = await Promise.race([
      check().catch((error: unknown): CheckOutcome => ({
        up: false,
        details: { reason: error instanceof Error ? error.message : String(error) },
      })),
      timeout,
    ]);
    return { ...outcome, elapsedMs: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
