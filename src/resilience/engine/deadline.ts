import { ErrorFilter } from '../breaker-options';
import { CallTimeoutError } from '../errors/call-timeout.error';
import { CallStats } from './breaker-metrics';
import { Action } from './breaker-types';
import { Bulkhead } from './bulkhead';

/** What a call in a bulkhead slot needs from its breaker. */
export interface SlotContext {
  /** The breaker's name, for the {@link CallTimeoutError}. */
  readonly name: string;
  readonly now: () => number;
  readonly isIgnored: ErrorFilter;
  readonly stats: CallStats;
  /** Holds the caller's slot; it is released when the work really ends. */
  readonly bulkhead: Bulkhead;
}

/**
 * Runs the action in the slot the caller holds, with its own AbortController and deadline. The
 * caller is freed at the deadline; the slot is freed only when the work really ends, so abandoned
 * work still counts against the bulkhead. Records the outcome and the latency of the call.
 */
export async function runInSlot<T>(
  action: Action<T>,
  deadline: number,
  timeoutMs: number,
  { name, now, isIgnored, stats, bulkhead }: SlotContext,
): Promise<T> {
  const started = now();
  // An action that takes no signal cannot be cancelled: skip the controller (about 3 µs a call).
  const controller = action.length > 0 ? new AbortController() : undefined;
  // An action that throws synchronously fails like one that rejects.
  const work = (async () => action(controller?.signal as AbortSignal))();
  let timedOut = false;
  void work
    .catch(() => undefined)
    .finally(() => {
      if (timedOut) {
        stats.abandoned--;
      }
      bulkhead.release();
    });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        timedOut = true;
        stats.abandoned++;
        const error = new CallTimeoutError(name, timeoutMs);
        controller?.abort(error);
        reject(error);
      },
      Math.max(0, deadline - now()),
    );
  });
  try {
    const result = await Promise.race([work, timeout]);
    stats.counts.success++;
    return result;
  } catch (error) {
    stats.counts[
      error instanceof CallTimeoutError ? 'timeout' : isIgnored(error) ? 'ignored_error' : 'failure'
    ]++;
    throw error;
  } finally {
    clearTimeout(timer);
    stats.latency.record(now() - started);
  }
}
