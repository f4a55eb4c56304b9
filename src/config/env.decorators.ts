import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

/**
 * An env value as a boolean key reads it: `true`/`1`/`yes` or `false`/`0`/`no` (any case, trimmed);
 * undefined for anything else. Also read before the config exists (`applyV8Flags`).
 */
export function parseEnvBoolean(raw: unknown): boolean | undefined {
  const text = String(raw).trim().toLowerCase();
  if (['true', '1', 'yes'].includes(text)) {
    return true;
  }
  if (['false', '0', 'no'].includes(text)) {
    return false;
  }
  return undefined;
}

/**
 * A boolean env key: accepts `true`/`false`/`1`/`0`/`yes`/`no` (any case).
 * Anything else is kept as a string so validation names the key.
 */
export function EnvBoolean(): PropertyDecorator {
  return applyDecorators(
    Transform(({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
      const raw = obj[key];
      return typeof raw === 'boolean' ? raw : (parseEnvBoolean(raw) ?? raw);
    }),
    IsBoolean({ message: '$property must be one of true, false, 1, 0, yes, no' }),
  );
}

/** An integer env key within [min, max]. */
export function EnvInt(min: number, max: number): PropertyDecorator {
  return applyDecorators(
    Type(() => Number),
    IsInt(),
    Min(min),
    Max(max),
  );
}

/** An optional integer env key within [min, max]. */
export function EnvOptionalInt(min: number, max: number): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    Type(() => Number),
    IsInt(),
    Min(min),
    Max(max),
  );
}

/** An env key restricted to a list of values. */
export function EnvOneOf(values: readonly string[]): PropertyDecorator {
  return applyDecorators(
    IsIn(values, { message: `$property must be one of ${values.join(', ')}` }),
  );
}
