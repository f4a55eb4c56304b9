import { ArgumentsHost, Logger } from '@nestjs/common';
import { AbstractHttpAdapter } from '@nestjs/core';
import { DatabaseError } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { DatabaseErrorFilter } from './database-error.filter';
import { BatchRowError } from './errors/batch-row.error';

interface Answer {
  status: number;
  body: { message?: unknown };
  retryAfter?: string;
}

/** Runs the filter on `exception` with a stub adapter and reply; returns what was sent. */
function answer(exception: Error): Answer {
  const sent: Partial<Answer> = {};
  const reply = {
    header: (name: string, value: string) => {
      if (name === 'Retry-After') {
        sent.retryAfter = value;
      }
      return reply;
    },
  };
  const adapter = {
    isHeadersSent: () => false,
    reply: (_: unknown, body: Answer['body'], status: number) =>
      Object.assign(sent, { body, status }),
    end: () => undefined,
  } as unknown as AbstractHttpAdapter;
  const host = {
    getType: () => 'http',
    getArgs: () => [{}, reply],
    getArgByIndex: (index: number) => [{}, reply][index],
    switchToHttp: () => ({ getResponse: () => reply, getRequest: () => ({}) }),
  } as unknown as ArgumentsHost;
  new DatabaseErrorFilter(adapter).catch(exception, host);
  return sent as Answer;
}

function serverError(code: string, message: string): DatabaseError {
  return Object.assign(new DatabaseError(message, message.length, 'error'), { code });
}

const failed = (driverError: unknown) => new QueryFailedError('SELECT 1', [], driverError as Error);

describe(DatabaseErrorFilter.name, () => {
  beforeAll(() => Logger.overrideLogger(false));

  it.each([
    [
      '57P01 on a query',
      failed(serverError('57P01', 'terminating connection due to administrator command')),
    ],
    ['a connection terminated mid-query', failed(new Error('Connection terminated unexpectedly'))],
    [
      'a socket error without Error in its prototype chain',
      failed({ message: 'read ECONNRESET', code: 'ECONNRESET' }),
    ],
    ['a query read timeout', failed(new Error('Query read timeout'))],
    ['a runner released by its dead connection', new QueryRunnerAlreadyReleasedError()],
    [
      'a raw 57P03 from a COPY stream',
      serverError('57P03', 'the database system is shutting down'),
    ],
  ])('should answer %s with 503 and Retry-After', (_, exception) => {
    const sent = answer(exception);

    expect(sent.status).toBe(503);
    expect(Number(sent.retryAfter)).toBeGreaterThan(0);
  });

  it('should name the row and column of a batch row error, without the value', () => {
    const driverError = serverError('22P05', 'unsupported Unicode escape sequence');
    const sent = answer(new BatchRowError(12344, 'config', driverError));

    expect(sent).toEqual({
      status: 400,
      body: expect.objectContaining({
        message: '[12344].config: A value contains an unsupported character; nothing was written',
      }),
    });
  });

  it('should keep the conflict status of a unique violation in a batch row', () => {
    const sent = answer(new BatchRowError(7, undefined, serverError('23505', 'duplicate key')));

    expect(sent.status).toBe(409);
    expect(sent.body.message).toMatch(/^\[7\]: /);
  });

  it('should leave an unknown database error a 500 (a bug, not a fault)', () => {
    const sent = answer(failed(serverError('42P01', 'relation "agents" does not exist')));

    expect(sent.status).toBe(500);
    expect(sent.retryAfter).toBeUndefined();
  });
});
