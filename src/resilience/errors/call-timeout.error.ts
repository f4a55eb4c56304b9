import { ResilienceError } from './resilience.error';

/** The call did not finish within its deadline; its signal was aborted and the caller freed. */
export class CallTimeoutError extends ResilienceError {
  readonly kind = 'call-timeout' as const;

  constructor(
    breaker: string,
    readonly timeoutMs: number,
  ) {
    super(`Call through "${breaker}" timed out after ${timeoutMs} ms`, breaker, 1000);
  }
}
