import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Counter, Histogram } from 'prom-client';
import { monitoringConfig } from '../monitoring.config';
import { MetricsService } from './metrics.service';

/** Latency buckets from 5 ms to 10 s (Prometheus naming: seconds). */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One finished request, as the timing hooks saw it. */
export interface TimedRequest {
  method: string;
  route: string;
  statusCode: number;
  seconds: number;
  requestId: string;
}

/** The RED metrics of the HTTP server and the slow-request log. */
@Injectable()
export class HttpMetrics {
  private readonly logger = new Logger('SlowRequest');
  private readonly requests: Counter<'method' | 'route' | 'status_code'>;
  private readonly duration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly slow: Counter<'method' | 'route'>;
  private readonly slowSeconds: number;

  constructor(
    metrics: MetricsService,
    @Inject(monitoringConfig.KEY) config: ConfigType<typeof monitoringConfig>,
  ) {
    const labelNames = ['method', 'route', 'status_code'] as const;
    this.requests = metrics.counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route template and status code',
      labelNames,
    });
    this.duration = metrics.histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration (same timer as X-Process-Time)',
      labelNames,
      buckets: HTTP_DURATION_BUCKETS,
    });
    this.slow = metrics.counter({
      name: 'http_slow_requests_total',
      help: 'Requests slower than MONITORING__SLOW_REQUEST_MS',
      labelNames: ['method', 'route'],
    });
    this.slowSeconds = config.slowRequestMs / 1000;
  }

  /** Records one request in the counter and histogram, and logs it when slow. */
  record(request: TimedRequest): void {
    const labels = {
      method: request.method,
      route: request.route,
      status_code: String(request.statusCode),
    };
    this.requests.inc(labels);
    this.duration.observe(labels, request.seconds);
    if (request.seconds > this.slowSeconds) {
      this.slow.inc({ method: request.method, route: request.route });
      this.logger.warn({
        msg: 'Slow request',
        method: request.method,
        route: request.route,
        status_code: request.statusCode,
        duration_ms: Math.round(request.seconds * 1000),
        request_id: request.requestId,
      });
    }
  }
}
