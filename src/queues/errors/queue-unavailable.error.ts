/** The queue's Redis did not take the job in time (mapped to 503 + Retry-After). */
export class QueueUnavailableError extends Error {
  readonly kind = 'queue-unavailable' as const;
  readonly retryAfterSeconds = 5;

  constructor(
    readonly queue: string,
    cause: string,
  ) {
    super(`Queue "${queue}" is unavailable (${cause})`);
    this.name = QueueUnavailableError.name;
  }
}
