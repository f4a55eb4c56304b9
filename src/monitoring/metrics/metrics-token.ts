import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Whether an `Authorization` header carries the metrics token. Compares digests in constant
 * time, so neither the token nor its length leaks through timing.
 */
export function hasMetricsToken(header: string | undefined, token: string): boolean {
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  return match !== null && timingSafeEqual(digest(match[1]), digest(token));
}
