import { Injectable } from '@nestjs/common';
import { MetricsService } from '../monitoring';
import type { FleetCounter } from './fleet-counter';

/** The limiter's `/metrics` series: decisions, fail-open requests, Redis sync failures, clients. */
@Injectable()
export class RateLimitMonitoring {
  constructor(private readonly metrics: MetricsService) {}

  /** Registers the metrics of the limiter's counter (called once the limiter is on). */
  register(counter: FleetCounter): void {
    const stats = counter.stats;
    this.metrics.counter({
      name: 'rate_limit_requests_total',
      help: 'Requests counted by the rate limiter, by decision',
      labelNames: ['decision'],
      collect() {
        this.reset();
        this.inc({ decision: 'allowed' }, stats.allowed);
        this.inc({ decision: 'limited' }, stats.limited);
      },
    });
    this.metrics.counter({
      name: 'rate_limit_fail_open_total',
      help: 'Requests let through while Redis was unreachable (decided on this instance count alone)',
      collect() {
        this.reset();
        this.inc(stats.failOpen);
      },
    });
    this.metrics.counter({
      name: 'rate_limit_redis_failures_total',
      help: 'Syncs of the rate limit counters with Redis that failed or timed out',
      collect() {
        this.reset();
        this.inc(stats.syncFailures);
      },
    });
    this.metrics.gauge({
      name: 'rate_limit_redis_degraded',
      help: '1 while the rate limiter runs on local counts (its last Redis sync failed)',
      collect() {
        this.set(stats.degraded ? 1 : 0);
      },
    });
    this.metrics.gauge({
      name: 'rate_limit_tracked_clients',
      help: 'Users and IPs with a rate limit counter in this instance',
      collect() {
        this.set(counter.size);
      },
    });
  }
}
