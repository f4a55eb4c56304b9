import underPressure from '@fastify/under-pressure';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getHeapStatistics } from 'node:v8';
import { rootRequestHooks, type HttpEdge } from '../edge';
import { routeScope } from '../monitoring';

/** Bounds past which API requests are shed (`PERFORMANCE__SHED_*`); 0 turns a bound off. */
export interface LoadSheddingOptions {
  maxEventLoopDelayMs: number;
  /** 0: 90% of V8's heap limit. */
  maxHeapUsedBytes: number;
  maxRssBytes: number;
  retryAfterSeconds: number;
}

/** How often the event-loop delay, heap and RSS are sampled. */
export const SHEDDING_SAMPLE_MS = 250;
const HEAP_LIMIT_SHARE = 0.9;
/** At most one warning per this many ms while shedding. */
const WARN_EVERY_MS = 10_000;

const REASONS: Record<string, string> = {
  eventLoopDelay: 'event loop delay',
  heapUsedBytes: 'heap used',
  rssBytes: 'resident memory',
  eventLoopUtilization: 'event loop utilization',
};

/**
 * Sheds load with `@fastify/under-pressure`: while the process is past a bound, API requests are
 * answered 503 + `Retry-After` in the `onRequest` hook, before any parsing, guard or handler, so
 * accepted requests and probes keep a bounded latency. Probes (`/health/live|ready|startup`) and
 * operator routes (`/metrics`, `/health`, ...) are never shed: the kubelet must not restart a pod
 * for being busy, and metrics are most needed under load.
 */
export async function registerLoadShedding(
  fastify: FastifyInstance,
  options: LoadSheddingOptions,
  edge?: HttpEdge,
): Promise<void> {
  const before = new Set(rootRequestHooks(fastify) ?? []);
  const logger = new Logger('LoadShedding');
  let lastWarning = 0;
  const body = {
    statusCode: 503,
    error: 'Service Unavailable',
    message: `Server overloaded, retry after ${options.retryAfterSeconds} s`,
  };
  await fastify.register(underPressure, {
    sampleInterval: SHEDDING_SAMPLE_MS,
    maxEventLoopDelay: options.maxEventLoopDelayMs,
    maxHeapUsedBytes:
      options.maxHeapUsedBytes ||
      Math.floor(getHeapStatistics().heap_size_limit * HEAP_LIMIT_SHARE),
    maxRssBytes: options.maxRssBytes,
    // The plugin sends what the handler returns (its typings say void): a value answers the
    // request, undefined lets it through.
    pressureHandler: ((
      request: FastifyRequest,
      reply: FastifyReply,
      type: string,
      value: number | undefined,
    ) => {
      if (routeScope(request.routeOptions.url ?? '') !== 'api') {
        return undefined; // let it through
      }
      // No delay tick completed in the last interval (the plugin then reports Infinity): one
      // long synchronous stretch such as the boot, not a flood of requests (which shows as
      // many slow ticks). Shedding then would refuse the first requests after every boot.
      if (type === 'eventLoopDelay' && !Number.isFinite(value)) {
        return undefined;
      }
      const now = Date.now();
      if (now - lastWarning >= WARN_EVERY_MS) {
        lastWarning = now;
        const shown = value === undefined ? '' : ` at ${Math.round(value)}`;
        logger.warn(`Shedding API requests: ${REASONS[type] ?? type}${shown} is past its bound`);
      }
      void reply.code(503).header('Retry-After', String(options.retryAfterSeconds));
      return body;
    }) as unknown as (request: FastifyRequest, reply: FastifyReply) => void,
  });
  // Every hook the plugin added; an edge answer goes to Fastify (which sheds) under pressure.
  edge?.addStage({
    name: 'load shedding',
    covers: (rootRequestHooks(fastify) ?? []).filter((hook) => !before.has(hook)),
    admits: () => !fastify.isUnderPressure(),
  });
}
