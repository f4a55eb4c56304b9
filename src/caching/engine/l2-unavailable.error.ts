/** Redis could not be used for this call (breaker open, timeout or error); the cache goes on without it. */
export class L2Unavailable extends Error {
  readonly kind = 'l2-unavailable' as const;
}

/**
 * Awaits a Redis write the cache can live without: undefined when Redis is unavailable, any
 * other error is a bug and is thrown.
 */
export async function ignoreUnavailable<T>(operation: Promise<T>): Promise<T | undefined> {
  try {
    return await operation;
  } catch (error) {
    if (error instanceof L2Unavailable) {
      return undefined;
    }
    throw error;
  }
}
