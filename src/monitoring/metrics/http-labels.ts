import type { FastifyRequest } from 'fastify';

/** Route label of requests that matched no route, so 404 floods cannot add series. */
export const UNMATCHED_ROUTE = 'UNMATCHED';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The route template (`/agents/:id`), never the raw URL: label values stay bounded by the
 * number of routes, whatever ids callers send.
 */
export function routeLabel(request: Pick<FastifyRequest, 'routeOptions'>): string {
  return request.routeOptions?.url ?? UNMATCHED_ROUTE;
}

/** The HTTP method, with anything unusual folded into `OTHER`. */
export function methodLabel(method: string): string {
  return METHODS.has(method) ? method : 'OTHER';
}
