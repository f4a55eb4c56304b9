/** Queue of the compute tasks (concurrency `PERFORMANCE__ASYNC_WORKER_COUNT`). */
export const COMPUTE_QUEUE = 'compute';

/** The guide's example task. */
export const HEAVY_COMPUTATION = 'heavy_computation';

/** Largest `numbers` array of one task. */
export const MAX_NUMBERS = 100000;

/** Largest absolute value of a number (bounds the prime sieve to 10 MB). */
export const MAX_ABS_VALUE = 10000000;

/** Largest `iterations` (rounds of the SHA-256 chain). */
export const MAX_ITERATIONS = 1000;

/** Attempts, backoff and time limit of one heavy computation. */
export const HEAVY_COMPUTATION_OPTIONS = { attempts: 3, backoffMs: 1000, timeoutMs: 120000 };
