import { ResilienceError } from './resilience.error';

/** Too many calls to the dependency are in flight (and the queue, if any, is full). */
export class BulkheadRejectedError extends ResilienceError {
  readonly kind = 'bulkhead-rejected' as const;

  constructor(
    breaker: string,
    readonly maxConcurrent: number,
  ) {
    super(`Too many concurrent calls through "${breaker}" (max ${maxConcurrent})`, breaker, 1000);
  }
}
