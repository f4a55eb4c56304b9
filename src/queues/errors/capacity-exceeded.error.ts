/** Every slot of a concurrency limit is taken (mapped to 503 + Retry-After). */
export class CapacityExceededError extends Error {
  readonly kind = 'capacity-exceeded' as const;
  readonly retryAfterSeconds = 1;

  constructor(readonly limit: number) {
    super(`All ${limit} concurrent work slots are busy`);
    this.name = CapacityExceededError.name;
  }
}
