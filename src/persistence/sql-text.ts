const MAX_SQL_LENGTH = 2000;

/**
 * Normalizes SQL for logs: folds whitespace and replaces literals with `?`, so a log line never
 * carries user data that was inlined into the statement, and similar statements group together.
 */
export function normalizeSql(sql: string): string {
  const normalized = sql
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\b\d+(?:\.\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
  return normalized.length > MAX_SQL_LENGTH
    ? `${normalized.slice(0, MAX_SQL_LENGTH)}…`
    : normalized;
}

/**
 * Describes bind parameters without their values: type and size only. Values may be secrets,
 * tokens or personal data, so they never reach a log line.
 */
export function redactParameters(parameters: unknown): string[] | undefined {
  if (!Array.isArray(parameters)) {
    return undefined;
  }
  return parameters.slice(0, 50).map((value: unknown) => {
    if (value === null || value === undefined) {
      return 'null';
    }
    if (Array.isArray(value)) {
      return `array(${value.length})`;
    }
    if (typeof value === 'string') {
      return `string(${value.length})`;
    }
    if (value instanceof Date) {
      return 'date';
    }
    if (Buffer.isBuffer(value)) {
      return `bytes(${value.length})`;
    }
    return typeof value;
  });
}

/** First keyword of a statement (SELECT, INSERT, ...), for counting statements by kind. */
export function statementKind(sql: string): string {
  const match = /^\s*(?:\/\*.*?\*\/\s*)?([A-Za-z]+)/s.exec(sql);
  return match ? match[1].toUpperCase() : 'UNKNOWN';
}

const READ_KINDS = new Set(['SELECT', 'SHOW', 'EXPLAIN', 'VALUES', 'TABLE']);
const CONTROL_KINDS = new Set([
  'SET',
  'RESET',
  'START',
  'BEGIN',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT',
  'RELEASE',
]);
// Our statements spell keywords in capitals; identifiers (updated_at) never match whole words.
const MODIFYING = /\b(INSERT|UPDATE|DELETE|MERGE)\b/;

/**
 * Whether the statement may change data: anything but reads (`SELECT`, `SHOW`, a `WITH` whose
 * parts only read, `EXPLAIN` without `ANALYZE` of a write) and transaction control. Read routing
 * uses it: a request that changed data reads the primary, and the change's WAL position is recorded.
 */
export function changesData(sql: string): boolean {
  const kind = statementKind(sql);
  if (kind === 'WITH') {
    return MODIFYING.test(sql);
  }
  if (kind === 'EXPLAIN') {
    return /\bANALYZE\b/i.test(sql) && MODIFYING.test(sql);
  }
  return !READ_KINDS.has(kind) && !CONTROL_KINDS.has(kind);
}

/** Removes quoted values from a driver error message (PostgreSQL quotes the offending input). */
export function redactMessage(message: string): string {
  return message.replace(/"[^"]*"/g, '"?"').replace(/'[^']*'/g, "'?'");
}
