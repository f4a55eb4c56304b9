import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Counter } from 'prom-client';
import { monitoringConfig } from '../monitoring.config';
import { HttpSeriesTable, TableHistogram } from './http-series';
import { MetricsService } from './metrics.service';

/** Latency buckets from 5 ms to 10 s (Prometheus naming: seconds). */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Method labels; anything else is `OTHER`. Their index is part of a series key. */
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'OTHER'];
const METHOD_INDEX = new Map(METHODS.map((method, index) => [method, index]));
const OTHER = METHODS.length - 1;

/** The RED metrics of the HTTP server and the slow-request log. */
@Injectable()
export class HttpMetrics {
  private readonly logger = new Logger('SlowRequest');
  private readonly table = new HttpSeriesTable(HTTP_DURATION_BUCKETS);
  private readonly slow: Counter<'method' | 'route'>;
  private readonly slowSeconds: number;

  constructor(
    metrics: MetricsService,
    @Inject(monitoringConfig.KEY) config: ConfigType<typeof monitoringConfig>,
  ) {
    const labelNames = ['method', 'route', 'status_code'] as const;
    const table = this.table;
    metrics.counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route template and status code',
      labelNames,
      // Filled from the table at scrape time.
      collect() {
        this.reset();
        for (const series of table.all()) {
          this.inc(series.labels, series.count);
        }
      },
    });
    metrics.registry.registerMetric(
      new TableHistogram(
        {
          name: 'http_request_duration_seconds',
          help: 'HTTP request duration (same timer as X-Process-Time)',
          labelNames,
          registers: [],
        },
        table,
      ),
    );
    this.slow = metrics.counter({
      name: 'http_slow_requests_total',
      help: 'Requests slower than MONITORING__SLOW_REQUEST_MS',
      labelNames: ['method', 'route'],
    });
    this.slowSeconds = config.slowRequestMs / 1000;
  }

  /**
   * Records one request (its route template, never the raw URL) and logs it when slow. No
   * allocation once its series exists.
   */
  record(method: string, route: string, statusCode: number, seconds: number, id: string): void {
    const index = METHOD_INDEX.get(method) ?? OTHER;
    const series = this.table.series(METHODS[index], index, route, statusCode);
    this.table.observe(series, seconds);
    if (seconds > this.slowSeconds) {
      this.slow.inc({ method: METHODS[index], route });
      this.logger.warn({
        msg: 'Slow request',
        method: METHODS[index],
        route,
        status_code: statusCode,
        duration_ms: Math.round(seconds * 1000),
        request_id: id,
      });
    }
  }
}
