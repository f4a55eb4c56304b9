import autocannon from 'autocannon';

/** The numbers a scenario needs from an HTTP load run. */
export interface LoadResult {
  /** Responses received (any status). */
  requests: number;
  /** Responses per second over the wall time of the run. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** Responses outside 2xx. */
  non2xx: number;
  /** Responses whose body differed from `expectBody`, when it was given. */
  mismatches: number;
  seconds: number;
  /** Responses per status code, e.g. `{ '201': 10000 }`. */
  statusCounts: Record<string, number>;
}

/** Options of {@link runLoad}: autocannon's, plus where the client runs. */
export type LoadOptions = autocannon.Options & {
  /**
   * Run the client in a worker thread so it does not share the event loop with the in-process
   * app under test. Worker mode needs static requests: no function hooks (`setupRequest`, ...).
   * @default true
   */
  offThread?: boolean;
};

/** Fires HTTP load with autocannon and summarises it (req/s, p50, p99, errors). */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { offThread = true, ...rest } = options;
  const started = performance.now();
  const result = await autocannon({ ...rest, workers: offThread ? 1 : undefined });
  const seconds = (performance.now() - started) / 1000;
  const statusCounts: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCounts[status] = stats.count ?? 0;
  }
  const requests = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    requests,
    requestsPerSecond: requests / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    mismatches: result.mismatches ?? 0,
    seconds,
    statusCounts,
  };
}

/** Throws unless every request of the run got a 2xx: a benchmark of failures measures nothing. */
export function assertAllOk(label: string, load: LoadResult, expected: number): void {
  const ok = load.requests - load.non2xx;
  if (load.errors > 0 || load.non2xx > 0 || ok !== expected) {
    throw new Error(
      `${label}: ${ok}/${expected} requests succeeded (errors ${load.errors}, statuses ${JSON.stringify(load.statusCounts)})`,
    );
  }
}

/**
 * Throws unless a duration-based run got only 2xx responses, no connection errors and (with
 * `expectBody`) no body that differed.
 */
export function assertNoFailures(label: string, load: LoadResult): void {
  if (load.errors > 0 || load.non2xx > 0 || load.mismatches > 0 || load.requests === 0) {
    throw new Error(
      `${label}: ${load.non2xx} non-2xx of ${load.requests} responses, ${load.errors} errors, ${load.mismatches} bodies differing (statuses ${JSON.stringify(load.statusCounts)})`,
    );
  }
}
