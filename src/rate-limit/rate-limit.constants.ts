import { hashTag } from '../redis';

/** Route prefixes never limited: probes and scrapes must work when a client is throttled. */
export const EXEMPT_ROUTE_PREFIXES = ['/health', '/metrics'] as const;

/** Whether the rate limiter leaves a route alone (probes and scrapes). */
export function isRateLimitExempt(url: string): boolean {
  return EXEMPT_ROUTE_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`));
}

/** Key segment of the fleet counters under `REDIS__KEY_PREFIX`. */
export const RATE_LIMIT_KEY_SEGMENT = 'rl';

/**
 * Key prefix of the fleet counters: `<prefix>:rl:`. One sync pipeline writes every counter, so on
 * a cluster they share a hash tag (one slot): `<prefix>:rl:{<prefix>:rl}:`.
 */
export function rateLimitKeyPrefix(keyPrefix: string, cluster: boolean): string {
  const segment = `${keyPrefix}:${RATE_LIMIT_KEY_SEGMENT}:`;
  return cluster ? `${segment}${hashTag(keyPrefix, RATE_LIMIT_KEY_SEGMENT)}:` : segment;
}

/** Injection token of the limiter's own ioredis `command` client. */
export const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');
