import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { QueryFailedError } from 'typeorm';
import { DatabaseUnavailableError } from './errors/database-unavailable.error';
import { PoolExhaustedError } from './errors/pool-exhausted.error';

interface Mapped {
  status: number;
  message: string;
  retryAfterSeconds?: number;
}

const ERROR_NAMES: Record<number, string> = {
  400: 'Bad Request',
  409: 'Conflict',
  503: 'Service Unavailable',
};

// PostgreSQL SQLSTATE codes that are the client's fault or a transient condition.
const SQLSTATE: Record<string, Mapped> = {
  '23505': { status: HttpStatus.CONFLICT, message: 'A record with the same unique value exists' },
  '23503': { status: HttpStatus.CONFLICT, message: 'A referenced record does not exist' },
  '22P02': { status: HttpStatus.BAD_REQUEST, message: 'A value has an invalid format' },
  '22001': { status: HttpStatus.BAD_REQUEST, message: 'A value is too long' },
  '22021': { status: HttpStatus.BAD_REQUEST, message: 'A value contains an unsupported character' },
  '22P05': { status: HttpStatus.BAD_REQUEST, message: 'A value contains an unsupported character' },
  '57014': {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    message: 'The database took too long to answer',
    retryAfterSeconds: 1,
  },
  '40001': {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    message: 'Concurrent update, retry',
    retryAfterSeconds: 1,
  },
  '40P01': {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    message: 'Concurrent update, retry',
    retryAfterSeconds: 1,
  },
  '53300': {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    message: 'The database has no free connections',
    retryAfterSeconds: 2,
  },
};

/**
 * Maps database failures to HTTP: pool exhaustion and outages to 503 with Retry-After, known
 * client-caused SQLSTATEs to 4xx. Messages never carry SQL, parameters or server addresses.
 */
@Catch(PoolExhaustedError, DatabaseUnavailableError, QueryFailedError)
export class DatabaseErrorFilter extends BaseExceptionFilter {
  private readonly logger = new Logger(DatabaseErrorFilter.name);

  override catch(exception: Error, host: ArgumentsHost): void {
    const mapped = this.map(exception);
    if (!mapped || host.getType() !== 'http') {
      super.catch(exception, host);
      return;
    }
    if (mapped.status >= 500) {
      this.logger.warn(`${exception.name}: ${mapped.message}`);
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (mapped.retryAfterSeconds !== undefined) {
      void reply.header('Retry-After', String(mapped.retryAfterSeconds));
    }
    super.catch(
      new HttpException(
        { statusCode: mapped.status, message: mapped.message, error: ERROR_NAMES[mapped.status] },
        mapped.status,
      ),
      host,
    );
  }

  private map(exception: Error): Mapped | undefined {
    if (exception instanceof PoolExhaustedError) {
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        message: 'The database has no free connection, retry shortly',
        retryAfterSeconds: 1,
      };
    }
    if (exception instanceof DatabaseUnavailableError) {
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        message: 'The database is unavailable, retry shortly',
        retryAfterSeconds: 5,
      };
    }
    const driverError = (exception as QueryFailedError & { driverError?: { code?: string } })
      .driverError;
    if (
      driverError instanceof PoolExhaustedError ||
      driverError instanceof DatabaseUnavailableError
    ) {
      return this.map(driverError);
    }
    return driverError?.code ? SQLSTATE[driverError.code] : undefined;
  }
}
