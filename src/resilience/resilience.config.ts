import { registerAs } from '@nestjs/config';
import { EnvValidationError, EnvInt, validateEnv } from '../config';
import { BreakerOptions } from './breaker-options';

/** Env defaults of every breaker (`RESILIENCE__DEFAULT__*`). */
export class ResilienceEnv {
  /** Deadline of a call through a breaker, retries included (ms). */
  @EnvInt(1, 600000)
  RESILIENCE__DEFAULT__CALL_TIMEOUT_MS = 5000;

  /** Consecutive failures that open a breaker. */
  @EnvInt(1, 1000)
  RESILIENCE__DEFAULT__FAILURE_THRESHOLD = 3;

  /** Ms a breaker stays open before half-open probes. */
  @EnvInt(1, 3600000)
  RESILIENCE__DEFAULT__FAILURE_TIMEOUT_MS = 30000;

  /** Calls in flight at most per breaker. */
  @EnvInt(1, 100000)
  RESILIENCE__DEFAULT__MAX_CONCURRENT = 100;
}

/** Per-breaker keys: `RESILIENCE__BREAKERS__<NAME>__<KEY>`; NAME is the breaker name upper-cased. */
const BREAKER_KEYS: Record<string, { field: keyof BreakerOptions; min: number; max: number }> = {
  CALL_TIMEOUT_MS: { field: 'callTimeoutMs', min: 1, max: 600000 },
  FAILURE_THRESHOLD: { field: 'failureThreshold', min: 1, max: 1000 },
  FAILURE_TIMEOUT_MS: { field: 'failureTimeoutMs', min: 1, max: 3600000 },
  MAX_CONCURRENT: { field: 'maxConcurrent', min: 1, max: 100000 },
  HALF_OPEN_PROBES: { field: 'halfOpenProbes', min: 1, max: 1000 },
  RETRIES: { field: 'retries', min: 0, max: 10 },
};
const BREAKER_KEY = /^RESILIENCE__BREAKERS__([A-Z0-9_]+?)__([A-Z_]+)$/;

/**
 * Reads every `RESILIENCE__BREAKERS__<NAME>__<KEY>` variable. Unknown keys and bad values stop the
 * boot with one line each, naming the variable and the rule (never the value).
 */
export function parseBreakerEnv(
  env: Record<string, string | undefined>,
): Record<string, Partial<BreakerOptions>> {
  const breakers: Record<string, Partial<BreakerOptions>> = {};
  const problems: string[] = [];
  for (const [key, raw] of Object.entries(env)) {
    if (!key.startsWith('RESILIENCE__BREAKERS__') || raw === undefined || raw === '') {
      continue;
    }
    const match = BREAKER_KEY.exec(key);
    const spec = match ? BREAKER_KEYS[match[2]] : undefined;
    if (!match || !spec) {
      problems.push(
        `${key}: unknown key; use RESILIENCE__BREAKERS__<NAME>__{${Object.keys(BREAKER_KEYS).join('|')}}`,
      );
      continue;
    }
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < spec.min || value > spec.max) {
      problems.push(`${key}: must be an integer from ${spec.min} to ${spec.max}`);
      continue;
    }
    const name = match[1].toLowerCase();
    breakers[name] = { ...breakers[name], [spec.field]: value };
  }
  if (problems.length > 0) {
    throw new EnvValidationError(problems);
  }
  return breakers;
}

/** Env default key -> breaker option. */
const DEFAULT_KEYS = {
  RESILIENCE__DEFAULT__CALL_TIMEOUT_MS: 'callTimeoutMs',
  RESILIENCE__DEFAULT__FAILURE_THRESHOLD: 'failureThreshold',
  RESILIENCE__DEFAULT__FAILURE_TIMEOUT_MS: 'failureTimeoutMs',
  RESILIENCE__DEFAULT__MAX_CONCURRENT: 'maxConcurrent',
} as const satisfies Record<keyof ResilienceEnv, keyof BreakerOptions>;

/**
 * Typed `resilience` namespace. `defaults` holds only the `RESILIENCE__DEFAULT__*` keys that are
 * set: the env class's own defaults must not hide the defaults given to `forRoot()`.
 */
export const resilienceConfig = registerAs('resilience', () => {
  const env = validateEnv(ResilienceEnv, process.env);
  const defaults: Partial<BreakerOptions> = {};
  for (const [key, field] of Object.entries(DEFAULT_KEYS) as Array<
    [keyof typeof DEFAULT_KEYS, (typeof DEFAULT_KEYS)[keyof typeof DEFAULT_KEYS]]
  >) {
    if (process.env[key] !== undefined && process.env[key] !== '') {
      defaults[field] = env[key];
    }
  }
  return { defaults, breakers: parseBreakerEnv(process.env) };
});
