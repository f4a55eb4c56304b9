import { Injectable } from '@nestjs/common';
import {
  collectDefaultMetrics,
  Counter,
  CounterConfiguration,
  Gauge,
  GaugeConfiguration,
  Histogram,
  HistogramConfiguration,
  Metric,
  Registry,
} from 'prom-client';

const LINT_FAILING_DEFAULTS = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

type MetricClass<T> = new (config: never) => T;

/**
 * Owns the app's single prom-client registry (default Node metrics included) and hands out
 * metrics by name: asking twice for the same name returns the same metric, so modules never
 * double-register, and asking for a name with another type or other labels throws.
 *
 * @example
 * ```ts
 * const hits = metrics.counter({
 *   name: 'cache_requests_total',
 *   help: 'Cache lookups by result',
 *   labelNames: ['cache', 'result'],
 * });
 * hits.inc({ cache: 'agents', result: 'hit' });
 * ```
 * @publicApi
 */
@Injectable()
export class MetricsService {
  /** The registry served at /metrics. */
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    // Gauges named `_total` break the Prometheus naming rules (promtool rejects them); their
    // per-type siblings (`nodejs_active_handles{type}` ...) carry the same numbers.
    for (const name of LINT_FAILING_DEFAULTS) {
      this.registry.removeSingleMetric(name);
    }
  }

  /** Gets or creates a counter (names end in `_total`). */
  counter<L extends string>(config: CounterConfiguration<L>): Counter<L> {
    return this.getOrCreate(Counter, config);
  }

  /** Gets or creates a gauge; pass `collect` to compute the value at scrape time. */
  gauge<L extends string>(config: GaugeConfiguration<L>): Gauge<L> {
    return this.getOrCreate(Gauge, config);
  }

  /** Gets or creates a histogram (durations in seconds, names end in `_seconds`). */
  histogram<L extends string>(config: HistogramConfiguration<L>): Histogram<L> {
    return this.getOrCreate(Histogram, config);
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private getOrCreate<T extends Metric>(
    type: MetricClass<T>,
    config: { name: string; labelNames?: readonly string[] },
  ): T {
    const existing = this.registry.getSingleMetric(config.name);
    if (existing) {
      const labels = (existing as unknown as { labelNames: string[] }).labelNames;
      const same =
        existing instanceof type &&
        [...labels].sort().join() === [...(config.labelNames ?? [])].sort().join();
      if (!same) {
        throw new Error(`Metric ${config.name} is already registered with another type or labels`);
      }
      return existing;
    }
    return new type({ ...config, registers: [this.registry] } as never);
  }
}
