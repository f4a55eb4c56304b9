import { DatabaseError } from 'pg';
import { classifyDriverError, isUnavailableError } from './classify-database-error';

/** A server error as pg-protocol builds it from an ErrorResponse. */
function serverError(code: string, message: string, where?: string): DatabaseError {
  const error = new DatabaseError(message, message.length, 'error');
  error.code = code;
  error.severity = 'FATAL';
  error.where = where;
  return error;
}

/** A socket error as Node's net module raises it. */
function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, syscall: 'connect' });
}

describe(classifyDriverError.name, () => {
  it.each([
    [
      '57P01 admin shutdown',
      serverError('57P01', 'terminating connection due to administrator command'),
    ],
    [
      '57P02 crash shutdown',
      serverError('57P02', 'terminating connection because of crash of another server process'),
    ],
    ['57P03 cannot connect now', serverError('57P03', 'the database system is shutting down')],
    ['08006 connection failure', serverError('08006', 'connection failure')],
    ['08P01 protocol violation', serverError('08P01', 'protocol violation')],
    ['53100 disk full', serverError('53100', 'could not extend file')],
    [
      '25P03 idle-in-transaction timeout',
      serverError('25P03', 'terminating connection due to idle-in-transaction timeout'),
    ],
    ['connection terminated', new Error('Connection terminated unexpectedly')],
    ['connect timeout', new Error('Connection terminated due to connection timeout')],
    ['dead client', new Error('Client has encountered a connection error and is not queryable')],
    ['ended pool', new Error('Cannot use a pool after calling end on the pool')],
    ['ECONNREFUSED', socketError('ECONNREFUSED')],
    ['ECONNRESET', socketError('ECONNRESET')],
    [
      'ECONNREFUSED on every address',
      Object.assign(new AggregateError([]), { code: 'ECONNREFUSED' }),
    ],
  ])('should answer %s with 503 and Retry-After', (_, error) => {
    expect(classifyDriverError(error)).toEqual({
      status: 503,
      message: expect.any(String),
      retryAfterSeconds: expect.any(Number),
    });
    expect(isUnavailableError(error)).toBe(true);
  });

  it.each([
    [
      '57014 statement timeout',
      serverError('57014', 'canceling statement due to statement timeout'),
      1,
    ],
    ['client query timeout', new Error('Query read timeout'), 5],
    ['40P01 deadlock', serverError('40P01', 'deadlock detected'), 1],
  ])('should answer %s with 503 and Retry-After %i', (_, error, retryAfter) => {
    expect(classifyDriverError(error)).toMatchObject({
      status: 503,
      retryAfterSeconds: retryAfter,
    });
  });

  it.each([
    ['22P05', 400, 'A value contains an unsupported character'],
    ['22021', 400, 'A value contains an unsupported character'],
    ['22007', 400, 'A value is invalid'],
    ['23502', 400, 'A required value is missing'],
    ['23514', 400, 'A value is out of the allowed range'],
    ['23505', 409, 'A record with the same unique value exists'],
  ])('should answer %s with %i and no Retry-After', (code, status, message) => {
    const error = serverError(code, 'value "secret" is bad', 'COPY agents, line 3');

    expect(classifyDriverError(error)).toEqual({ status, message });
  });

  it.each([
    ['XX000 internal error', serverError('XX000', 'internal error')],
    ['42P01 undefined table', serverError('42P01', 'relation "x" does not exist')],
    ['a TypeError', new TypeError('Cannot read properties of undefined')],
    ['a non-error', 'Connection terminated unexpectedly'],
  ])('should leave %s unclassified (a bug is a 500)', (_, error) => {
    expect(classifyDriverError(error)).toBeUndefined();
    expect(isUnavailableError(error)).toBe(false);
  });
});
