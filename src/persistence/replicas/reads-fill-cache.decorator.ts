import { SetMetadata } from '@nestjs/common';

/** Metadata key of {@link ReadsFillCache}. */
export const READS_FILL_CACHE = 'persistence:reads-fill-cache';

/**
 * Marks a route whose responses are stored for other requests (a response cache): its reads go
 * to a replica only once that replica has replayed the fleet's latest write, so a cache refilled
 * right after an invalidating write never stores what the write replaced. Other stores of shared
 * results apply it; the response cache's routes count as marked through
 * `ReadRoutingModule.register({ cacheFillMarkers })`, as the app wires it.
 *
 * @example
 * ```ts
 * @Get()
 * @ReadsFillCache()
 * list() {}
 * ```
 * @publicApi
 */
export const ReadsFillCache = (): MethodDecorator & ClassDecorator =>
  SetMetadata(READS_FILL_CACHE, true);
