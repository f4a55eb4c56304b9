import { ArgumentsHost, Catch, HttpException, HttpStatus } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { ResilienceError } from './errors/resilience.error';

/** Maps an open circuit, a call timeout or a full bulkhead to 503 with `Retry-After`. */
@Catch(ResilienceError)
export class ResilienceErrorFilter extends BaseExceptionFilter {
  override catch(exception: ResilienceError, host: ArgumentsHost): void {
    if (host.getType() !== 'http') {
      super.catch(exception, host);
      return;
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply.header('Retry-After', String(Math.max(1, Math.ceil(exception.retryAfterMs / 1000))));
    super.catch(
      new HttpException(
        {
          statusCode: HttpStatus.SERVICE_UNAVAILABLE,
          message: `The ${exception.breaker} dependency is unavailable (${exception.kind}), retry later`,
          error: 'Service Unavailable',
        },
        HttpStatus.SERVICE_UNAVAILABLE,
      ),
      host,
    );
  }
}
