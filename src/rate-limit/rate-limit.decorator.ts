import { Reflector } from '@nestjs/core';

/** Options of {@link RateLimit}. */
export interface RateLimitOptions {
  /**
   * Requests per window for each user (or client IP) on this route, counted apart from the
   * rest of the API.
   * @default RATE_LIMIT__MAX
   */
  limit?: number;
  /**
   * Window length in ms.
   * @default RATE_LIMIT__WINDOW_MS
   */
  windowMs?: number;
  /**
   * Never count or refuse requests of this route (probes, scrapes).
   * @default false
   */
  skip?: boolean;
}

/**
 * Gives a route (or every route of a controller) its own rate limit. A route with the decorator
 * has its own counter per user or IP, so a strict login limit does not eat into the API's.
 * Read by the rate limiter's Fastify `onRequest` hook, which runs before guards and the cache's
 * fast path, so cached public routes are limited too.
 *
 * @example
 * ```ts
 * @RateLimit({ limit: 10, windowMs: 60_000 })
 * @Post('login')
 * login(@Body() dto: LoginDto) {}
 *
 * @RateLimit({ skip: true })
 * @Get('live')
 * live() {}
 * ```
 */
export const RateLimit = Reflector.createDecorator<RateLimitOptions>();
