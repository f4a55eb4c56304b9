import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { DatabaseError } from 'pg';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { BatchRowError } from './errors/batch-row.error';
import { classifyDriverError, DatabaseFault } from './errors/classify-database-error';
import { DatabaseUnavailableError } from './errors/database-unavailable.error';
import { PoolExhaustedError } from './errors/pool-exhausted.error';

const ERROR_NAMES: Record<number, string> = {
  400: 'Bad Request',
  409: 'Conflict',
  503: 'Service Unavailable',
};

/**
 * Maps database failures to HTTP: pool exhaustion, outages and timeouts to 503 with Retry-After,
 * client-caused SQLSTATEs to 4xx (naming the row of a batch when it is known). Messages never
 * carry SQL, parameters, values or server addresses. Unknown database errors stay 500 (bugs).
 */
@Catch(
  PoolExhaustedError,
  DatabaseUnavailableError,
  QueryFailedError,
  QueryRunnerAlreadyReleasedError,
  BatchRowError,
  DatabaseError,
)
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

  private map(exception: Error): DatabaseFault | undefined {
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
    if (exception instanceof QueryRunnerAlreadyReleasedError) {
      // TypeORM releases a runner when its connection emits an error; the next query of the
      // transaction then lands here. Nothing in this service uses a runner after release().
      return {
        status: HttpStatus.SERVICE_UNAVAILABLE,
        message: 'The database connection was lost, retry shortly',
        retryAfterSeconds: 5,
      };
    }
    if (exception instanceof BatchRowError) {
      const fault = this.map(exception.driverError);
      const field = `[${exception.rowIndex}]${exception.column ? `.${exception.column}` : ''}`;
      return fault && fault.status < 500
        ? { ...fault, message: `${field}: ${fault.message}; nothing was written` }
        : fault;
    }
    const driverError = (exception as QueryFailedError & { driverError?: unknown }).driverError;
    if (exception instanceof QueryFailedError && driverError) {
      return this.map(driverError);
    }
    return classifyDriverError(exception);
  }
}
