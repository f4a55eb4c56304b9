import { createHash } from 'node:crypto';

/** Input of `heavy_computation`. */
export interface HeavyComputationInput {
  numbers: number[];
  iterations: number;
}

/** Result of `heavy_computation`. */
export interface HeavyComputationResult {
  count: number;
  sum: number;
  mean: number;
  min: number;
  max: number;
  median: number;
  std_dev: number;
  prime_count: number;
  /** SHA-256 of the numbers, chained `iterations` times. */
  digest: string;
  iterations: number;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The CPU work of the task: statistics, a prime count (sieve up to the largest value) and a
 * SHA-256 chain over the numbers. It yields to the event loop between rounds, so the worker
 * keeps renewing its job lock (a blocked loop makes Bull think the worker died, bull#412).
 */
export async function heavyComputation(
  input: HeavyComputationInput,
  progress: (percent: number) => Promise<void>,
): Promise<HeavyComputationResult> {
  const { numbers, iterations } = input;
  const sorted = Float64Array.from(numbers).sort();
  const count = sorted.length;
  const sum = numbers.reduce((total, n) => total + n, 0);
  const mean = sum / count;
  const variance = numbers.reduce((total, n) => total + (n - mean) ** 2, 0) / count;
  const middle = Math.floor(count / 2);
  const median = count % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  await progress(10);

  const primeCount = countPrimes(numbers, Math.max(0, sorted[count - 1]));
  await progress(30);

  const bytes = Buffer.from(Float64Array.from(numbers).buffer);
  let digest = createHash('sha256').update(bytes).digest();
  for (let round = 1; round <= iterations; round++) {
    digest = createHash('sha256').update(digest).update(bytes).digest();
    if (round % Math.max(1, Math.floor(iterations / 10)) === 0) {
      await progress(30 + Math.floor((70 * round) / iterations));
      await yieldToLoop();
    }
  }
  await progress(100);
  return {
    count,
    sum,
    mean,
    min: sorted[0],
    max: sorted[count - 1],
    median,
    std_dev: Math.sqrt(variance),
    prime_count: primeCount,
    digest: digest.toString('hex'),
    iterations,
  };
}

/** How many of the numbers are primes (integers only), by a sieve up to `limit`. */
export function countPrimes(numbers: readonly number[], limit: number): number {
  const top = Math.floor(limit);
  const composite = new Uint8Array(top + 1);
  for (let i = 2; i * i <= top; i++) {
    if (!composite[i]) {
      for (let j = i * i; j <= top; j += i) {
        composite[j] = 1;
      }
    }
  }
  return numbers.filter((n) => Number.isInteger(n) && n >= 2 && !composite[n]).length;
}
