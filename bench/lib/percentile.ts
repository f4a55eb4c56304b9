/** Percentile of samples (nearest rank), e.g. `percentile(ms, 0.99)`. */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) {
    throw new Error('percentile of no samples');
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * fraction) - 1))];
}
