import { FieldSpec } from './resource-definition';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTEGER = /^-?\d{1,15}$/;
const NUMBER = /^-?\d{1,15}(\.\d{1,15})?$/;
// ISO 8601 date or date-time; PostgreSQL's own text form (space separator) is accepted too, since
// cursors carry timestamps exactly as the database prints them.
const TIMESTAMP =
  /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/** Reads a field of an item; by default the property of the same name. */
export type FieldAccessor<T> = (item: T, field: string) => unknown;

/** The default {@link FieldAccessor}: the item's property of the same name. */
export const readProperty = <T>(item: T, field: string): unknown =>
  (item as Record<string, unknown>)[field];

/** Why a value was rejected (the caller adds the parameter name). */
export class InvalidValue extends Error {}

/**
 * Parses one value for a field. The result is bound as a query parameter, never spliced into SQL;
 * timestamps stay text so microseconds survive.
 */
export function parseFieldValue(spec: FieldSpec, raw: string, maxLength: number): unknown {
  if (raw.length > maxLength) {
    throw new InvalidValue(`must be at most ${maxLength} characters`);
  }
  switch (spec.type) {
    case 'uuid':
      if (!UUID.test(raw)) {
        throw new InvalidValue('must be a uuid');
      }
      return raw.toLowerCase();
    case 'string':
      if (raw.includes('\u0000')) {
        throw new InvalidValue('must not contain NUL characters');
      }
      return raw;
    case 'enum':
      if (!spec.values?.includes(raw)) {
        throw new InvalidValue(`must be one of ${spec.values?.join(', ')}`);
      }
      return raw;
    case 'integer':
      if (!INTEGER.test(raw)) {
        throw new InvalidValue('must be an integer');
      }
      return Number(raw);
    case 'number':
      if (!NUMBER.test(raw)) {
        throw new InvalidValue('must be a number');
      }
      return Number(raw);
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') {
        throw new InvalidValue('must be true or false');
      }
      return raw === 'true';
    case 'timestamp':
      if (!TIMESTAMP.test(raw) || Number.isNaN(Date.parse(toIso(raw)))) {
        throw new InvalidValue('must be an ISO 8601 date or date-time');
      }
      return raw;
  }
}

/** SQL cast for a field's bound parameters, so comparisons use the column's type and index. */
export function sqlCast(spec: FieldSpec): string {
  switch (spec.type) {
    case 'uuid':
      return '::uuid';
    case 'timestamp':
      return '::timestamptz';
    case 'integer':
      return '::bigint';
    case 'number':
      return '::numeric';
    case 'boolean':
      return '::boolean';
    case 'string':
    case 'enum':
      return '::text';
  }
}

/** Compares two typed values of one field the way PostgreSQL orders them (for in-memory lists). */
export function compareFieldValues(spec: FieldSpec, a: unknown, b: unknown): number {
  if (a === b) {
    return 0;
  }
  if (a === null || a === undefined) {
    return 1; // NULLS LAST, like PostgreSQL's default for ASC
  }
  if (b === null || b === undefined) {
    return -1;
  }
  if (spec.type === 'timestamp') {
    return toMicros(a) < toMicros(b) ? -1 : toMicros(a) > toMicros(b) ? 1 : 0;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') {
    return Number(a) - Number(b);
  }
  const [x, y] = [valueText(a), valueText(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Microseconds since the epoch of a Date or a timestamp string (microseconds kept). */
export function toMicros(value: unknown): bigint {
  if (value instanceof Date) {
    return BigInt(value.getTime()) * 1000n;
  }
  const text = toIso(String(value));
  const fraction = /\.(\d{1,6})/.exec(text)?.[1] ?? '';
  const millis = Date.parse(text.replace(/\.\d{1,6}/, ''));
  return BigInt(millis) * 1000n + BigInt(fraction.padEnd(6, '0') || '0');
}

/**
 * PostgreSQL's timestamp text (`2026-01-01 10:00:00.5+00`) in the ISO form Date.parse reads. Only a
 * time may end in an hour-only offset: the `-01` of a date alone (`2030-01-01`) is its day.
 */
function toIso(text: string): string {
  const iso = text.replace(' ', 'T');
  return iso.includes('T') ? iso.replace(/([+-]\d{2})$/, '$1:00') : iso;
}

/** Text of a primitive field value (objects as JSON), for comparisons and cursor keys. */
export function valueText(value: unknown): string {
  if (value instanceof Date) {
    return value.toISOString();
  }
  return typeof value === 'object'
    ? JSON.stringify(value)
    : `${value as string | number | boolean}`;
}

/** A cursor key or filter value (text from the query) as the field's in-memory type. */
export function typedValue(spec: FieldSpec, value: unknown): unknown {
  if ((spec.type === 'integer' || spec.type === 'number') && typeof value === 'string') {
    return Number(value);
  }
  if (spec.type === 'boolean' && typeof value === 'string') {
    return value === 'true';
  }
  return value;
}
