/** No pool connection became free within `DATABASE__POOL_TIMEOUT`; maps to 503 + Retry-After. */
export class PoolExhaustedError extends Error {
  readonly kind = 'pool-exhausted' as const;

  constructor(readonly waitedMs: number) {
    super(`No database connection became free within ${waitedMs} ms`);
    this.name = PoolExhaustedError.name;
  }
}
