/** Upper bounds of the latency buckets, in ms (fixed: recording and reading are O(1)). */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, Infinity];

/** A fixed-bucket latency histogram: O(1) per record, no sorting, no samples kept. */
export class LatencyHistogram {
  readonly counts = new Array<number>(LATENCY_BUCKETS_MS.length).fill(0);
  count = 0;
  sumMs = 0;

  record(ms: number): void {
    let index = 0;
    while (ms > LATENCY_BUCKETS_MS[index]) {
      index++;
    }
    this.counts[index]++;
    this.count++;
    this.sumMs += ms;
  }

  /** Cumulative buckets keyed by upper bound (`le`), Prometheus-style. */
  buckets(): Record<string, number> {
    let cumulative = 0;
    const result: Record<string, number> = {};
    LATENCY_BUCKETS_MS.forEach((bound, index) => {
      cumulative += this.counts[index];
      result[bound === Infinity ? '+Inf' : String(bound)] = cumulative;
    });
    return result;
  }
}
