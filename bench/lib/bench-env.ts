import { loadDevelopmentEnv } from '../../src/config';

/**
 * Environment of a bench run, set before the app's config is read: the development env files (the real
 * environment wins), silent logs, a Redis key prefix of its own, and migrations left to the
 * runner (it applies them before the app boots).
 */
export function prepareBenchEnv(): void {
  loadDevelopmentEnv();
  process.env.LOG_LEVEL = 'silent';
  process.env.REDIS__KEY_PREFIX ??= 'agentic_bench';
  process.env.DATABASE__RUN_MIGRATIONS ??= 'false';
  // The limiter stays on, as users get it (its cost is part of every figure), with a limit no
  // load generator reaches: one loopback client sends far more than a normal client would.
  process.env.RATE_LIMIT__MAX ??= '100000000';
  // Only for a clone without .env.development; a configured secret always wins.
  process.env.AUTH__JWT_SECRET ??= 'bench-only-jwt-secret-0123456789abcdefghij';
  process.env.PAGINATION__CURSOR_SECRET ??= 'bench-only-cursor-secret-0123456789abcdefgh';
}
