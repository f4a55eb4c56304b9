import { Histogram } from 'prom-client';
import type {
  HistogramConfiguration,
  MetricObjectWithValues,
  MetricValueWithName,
} from 'prom-client';

type HttpLabel = 'method' | 'route' | 'status_code';
type HttpLabels = Record<HttpLabel, string>;

/** One (method, route, status) series: plain numbers, no label hashing per request. */
export class HttpSeries {
  count = 0;
  sum = 0;
  /** Requests per bucket (not cumulative); the last slot is past the largest bound. */
  readonly buckets: number[];

  constructor(
    readonly labels: HttpLabels,
    bounds: number,
  ) {
    this.buckets = new Array<number>(bounds + 1).fill(0);
  }
}

/**
 * The `http_*` series of the server, kept as plain counters: a request costs two map lookups
 * and a few additions instead of prom-client's label validation and hashing (~2 us twice).
 * Prometheus sees them at scrape time, in prom-client's own format.
 */
export class HttpSeriesTable {
  private readonly byRoute = new Map<string, Map<number, HttpSeries>>();

  constructor(readonly bounds: readonly number[]) {}

  /** The series of a request, made on its first use. */
  series(method: string, methodIndex: number, route: string, statusCode: number): HttpSeries {
    let routeSeries = this.byRoute.get(route);
    if (!routeSeries) {
      routeSeries = new Map();
      this.byRoute.set(route, routeSeries);
    }
    const key = statusCode * 16 + methodIndex;
    let found = routeSeries.get(key);
    if (!found) {
      const labels = { method, route, status_code: String(statusCode) };
      found = new HttpSeries(labels, this.bounds.length);
      routeSeries.set(key, found);
    }
    return found;
  }

  /** Adds one request's duration. */
  observe(series: HttpSeries, seconds: number): void {
    series.count += 1;
    series.sum += seconds;
    let index = 0;
    while (index < this.bounds.length && seconds > this.bounds[index]) {
      index += 1;
    }
    series.buckets[index] += 1;
  }

  all(): HttpSeries[] {
    return [...this.byRoute.values()].flatMap((routeSeries) => [...routeSeries.values()]);
  }
}

/** A histogram whose values come from an {@link HttpSeriesTable}, formatted as prom-client's. */
export class TableHistogram extends Histogram<HttpLabel> {
  constructor(
    config: HistogramConfiguration<HttpLabel>,
    private readonly table: HttpSeriesTable,
  ) {
    super({ ...config, buckets: [...table.bounds] });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<HttpLabel>>> {
    return Promise.resolve(this.fromTable(this.table, false));
  }

  /** What the registry formats (prom-client's hook): bucket lines carry `le` first. */
  async getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<HttpLabel>>> {
    return Promise.resolve(this.fromTable(this.table, true));
  }

  private fromTable(
    table: HttpSeriesTable,
    split: boolean,
  ): MetricObjectWithValues<MetricValueWithName<HttpLabel>> {
    const { name, help } = this as unknown as { name: string; help: string };
    const bucket = `${name}_bucket`;
    const values: MetricValueWithName<HttpLabel>[] = [];
    const push = (metricName: string, series: HttpSeries, value: number, le?: number | string) => {
      const own = le === undefined ? {} : { le };
      values.push(
        (split
          ? { metricName, labels: own, sharedLabels: series.labels, value }
          : { metricName, labels: { ...series.labels, ...own }, value }) as never,
      );
    };
    for (const series of table.all()) {
      let cumulative = 0;
      table.bounds.forEach((bound, index) => {
        cumulative += series.buckets[index];
        push(bucket, series, cumulative, bound);
      });
      push(bucket, series, series.count, '+Inf');
      push(`${name}_sum`, series, series.sum);
      push(`${name}_count`, series, series.count);
    }
    return { name, help, type: 'histogram', values, aggregator: 'sum' } as never;
  }
}
