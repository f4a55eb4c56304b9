/**
 * Kubernetes probes: served on both ports (the kubelet probes the public one), status only on
 * the public port once a management port is set.
 */
export const PROBE_PATHS: readonly string[] = ['/health/live', '/health/ready', '/health/startup'];

/**
 * Operators' endpoints, by path prefix: with `MONITORING__MANAGEMENT_PORT` set they answer on
 * that port only (404 on the public one), and everything else (the API, `/docs`) on the public
 * port only. The one place that decides it; `/admin` holds bull-board (`/admin/queues`).
 */
export const OPERATOR_PREFIXES: readonly string[] = [
  '/metrics',
  '/health',
  '/performance',
  '/info',
  '/cache',
  '/resilience',
  '/admin',
];

/** Where a route belongs when the ports are split. */
export type RouteScope = 'probe' | 'operator' | 'api';

/** The scope of a route pattern (Fastify's `request.routeOptions.url`, e.g. `/health/ready`). */
export function routeScope(url: string): RouteScope {
  if (PROBE_PATHS.includes(url)) {
    return 'probe';
  }
  const operator = OPERATOR_PREFIXES.some(
    (prefix) => url === prefix || url.startsWith(`${prefix}/`),
  );
  return operator ? 'operator' : 'api';
}
