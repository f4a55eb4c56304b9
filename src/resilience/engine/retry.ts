/**
 * Decorrelated-jitter backoff (AWS architecture blog): the next delay is random between the base
 * and three times the previous delay, capped. Spreads retries of many callers apart.
 */
export function nextRetryDelay(
  previousMs: number,
  baseMs: number,
  capMs: number,
  random = Math.random,
): number {
  const upper = Math.max(baseMs, previousMs * 3);
  return Math.min(capMs, baseMs + random() * (upper - baseMs));
}
