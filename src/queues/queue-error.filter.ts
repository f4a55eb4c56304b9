import { ArgumentsHost, Catch, HttpException, HttpStatus } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { CapacityExceededError } from './errors/capacity-exceeded.error';
import { QueueUnavailableError } from './errors/queue-unavailable.error';

/** Maps an unavailable queue or a full work limiter to 503 with `Retry-After`. */
@Catch(QueueUnavailableError, CapacityExceededError)
export class QueueErrorFilter extends BaseExceptionFilter {
  override catch(
    exception: QueueUnavailableError | CapacityExceededError,
    host: ArgumentsHost,
  ): void {
    if (host.getType() !== 'http') {
      super.catch(exception, host);
      return;
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.header('Retry-After', String(exception.retryAfterSeconds));
    const message =
      exception instanceof QueueUnavailableError
        ? `The ${exception.queue} queue is unavailable, retry later`
        : 'Too much work in progress, retry later';
    super.catch(
      new HttpException(
        { statusCode: HttpStatus.SERVICE_UNAVAILABLE, message, error: 'Service Unavailable' },
        HttpStatus.SERVICE_UNAVAILABLE,
      ),
      host,
    );
  }
}
