import { RouteConfig } from '@nestjs/platform-fastify';

/** Route config key read by `createApp` (see {@link BodyLimit}). */
export const BODY_LIMIT = 'bodyLimit';

/** A body limit in bytes, or `'batch'` for the operator-tuned `HTTP__BATCH_BODY_LIMIT_MB`. */
export type BodyLimitValue = number | 'batch';

/**
 * Declares the largest body a route accepts, sized to what its schema can need. A body above it
 * is refused with 413: at once when its Content-Length says so (before a byte of it is read),
 * otherwise as soon as that many bytes arrived. Routes without it get `HTTP__BODY_LIMIT_MB`.
 *
 * @param limit bytes, or `'batch'` (`HTTP__BATCH_BODY_LIMIT_MB`).
 * @default HTTP__BODY_LIMIT_MB (1 MiB) for routes without the decorator
 * @example
 * ```ts
 * // 100,000 numbers of at most 25 characters each, plus the rest of the object.
 * @BodyLimit(100_000 * 25 + 1024)
 * @Post()
 * submit(@Body() dto: ComputeRequestDto) {}
 * ```
 */
export function BodyLimit(limit: BodyLimitValue): MethodDecorator {
  return RouteConfig({ [BODY_LIMIT]: limit });
}
