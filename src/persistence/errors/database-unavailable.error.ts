/** The database could not be reached; maps to 503 + Retry-After. The cause is logged, not sent. */
export class DatabaseUnavailableError extends Error {
  readonly kind = 'database-unavailable' as const;

  constructor(readonly code: string | undefined) {
    super('The database is unavailable');
    this.name = DatabaseUnavailableError.name;
  }
}
