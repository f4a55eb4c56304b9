/** Runs `fn` and returns its result with the wall time it took, in milliseconds. */
export async function timeIt<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await fn();
  return { ms: performance.now() - started, result };
}

/** Runs `fn` `times` times in a row and returns each run's milliseconds. */
export async function sample(
  times: number,
  fn: (run: number) => Promise<unknown>,
): Promise<number[]> {
  const durations: number[] = [];
  for (let run = 0; run < times; run++) {
    durations.push((await timeIt(() => fn(run))).ms);
  }
  return durations;
}

/** The median (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) {
    throw new Error('median of no values');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
