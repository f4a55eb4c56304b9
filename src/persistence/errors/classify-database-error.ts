import { HttpStatus } from '@nestjs/common';

/** How a database failure is answered over HTTP. */
export interface DatabaseFault {
  status: number;
  /** Safe for clients: never SQL, parameters, values or server addresses. */
  message: string;
  retryAfterSeconds?: number;
}

const unavailable = (message: string, retryAfterSeconds = 5): DatabaseFault => ({
  status: HttpStatus.SERVICE_UNAVAILABLE,
  message,
  retryAfterSeconds,
});
const badRequest = (message: string): DatabaseFault => ({
  status: HttpStatus.BAD_REQUEST,
  message,
});
const conflict = (message: string): DatabaseFault => ({ status: HttpStatus.CONFLICT, message });

const DATABASE_UNAVAILABLE = unavailable('The database is unavailable, retry shortly');
const TOO_SLOW = unavailable('The database took too long to answer', 1);
const CONCURRENT_UPDATE = unavailable('Concurrent update, retry', 1);

/** SQLSTATE codes with their own answer; whole classes fall back to `BY_CLASS`. */
const BY_CODE: Record<string, DatabaseFault> = {
  '23505': conflict('A record with the same unique value exists'),
  '23503': conflict('A referenced record does not exist'),
  '23001': conflict('A record is still referenced'),
  '23P01': conflict('A record conflicts with an existing one'),
  '23502': badRequest('A required value is missing'),
  '23514': badRequest('A value is out of the allowed range'),
  '22P02': badRequest('A value has an invalid format'),
  '22001': badRequest('A value is too long'),
  '22003': badRequest('A number is out of range'),
  '22021': badRequest('A value contains an unsupported character'),
  '22P05': badRequest('A value contains an unsupported character'),
  // statement_timeout or a cancel: the server is alive but overloaded; retrying soon is right.
  '57014': TOO_SLOW,
  '55P03': unavailable('A record is locked, retry', 1),
  '40001': CONCURRENT_UPDATE,
  '40P01': CONCURRENT_UPDATE,
  '53300': unavailable('The database has no free connections', 2),
  // admin_shutdown, crash_shutdown, cannot_connect_now: a restart or failover is under way.
  '57P01': DATABASE_UNAVAILABLE,
  '57P02': DATABASE_UNAVAILABLE,
  '57P03': DATABASE_UNAVAILABLE,
  // The server closed the session (idle-in-transaction or transaction timeout).
  '25P03': DATABASE_UNAVAILABLE,
  '25P04': DATABASE_UNAVAILABLE,
};

const BY_CLASS: Record<string, DatabaseFault> = {
  '08': DATABASE_UNAVAILABLE, // connection exception
  '53': DATABASE_UNAVAILABLE, // insufficient resources (disk full, out of memory)
  '22': badRequest('A value is invalid'), // data exception
  '23': badRequest('A value breaks a constraint'), // integrity constraint violation
};

/** Socket-level codes of Node: the server cannot be reached or dropped the connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** pg errors without a SQLSTATE that mean the connection is gone or never came. */
const CONNECTION_LOST =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|Cannot use a pool after calling end)/;

/** pg's client-side `query_timeout`: the server did not answer at all (frozen or cut off). */
export const QUERY_READ_TIMEOUT = 'Query read timeout';

/**
 * Classifies a pg driver error (a `DatabaseError` with a SQLSTATE, a socket error or one of pg's
 * own connection errors) into an HTTP answer; `undefined` when it is not a known fault (a bug).
 */
export function classifyDriverError(error: unknown): DatabaseFault | undefined {
  // Duck-typed: Node's socket errors come from another realm under Jest (instanceof fails).
  if (typeof error !== 'object' || error === null || !('message' in error)) {
    return undefined;
  }
  const { code, message } = error as { code?: unknown; message: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) {
      return DATABASE_UNAVAILABLE;
    }
    const known =
      BY_CODE[code] ?? (/^[0-9A-Z]{5}$/.test(code) ? BY_CLASS[code.slice(0, 2)] : undefined);
    if (known) {
      return known;
    }
  }
  if (message === QUERY_READ_TIMEOUT) {
    return unavailable('The database did not answer in time', 5);
  }
  if (typeof message === 'string' && CONNECTION_LOST.test(message)) {
    return DATABASE_UNAVAILABLE;
  }
  return undefined;
}

/** True when the driver error means "the database cannot be used right now" (503). */
export function isUnavailableError(error: unknown): boolean {
  return classifyDriverError(error)?.status === HttpStatus.SERVICE_UNAVAILABLE;
}
