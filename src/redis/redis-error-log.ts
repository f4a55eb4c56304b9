import type { LoggerService } from '@nestjs/common';
import { REDIS_ERROR_LOG_INTERVAL_MS } from './redis.constants';

/** What a connection looks like to the log: ioredis and node-redis clients both fit. */
export interface RedisEventSource {
  on(event: 'error', listener: (error: Error & { code?: string }) => void): unknown;
  on(event: 'ready', listener: () => void): unknown;
}

/**
 * The error log of one set of Redis connections (the cache's, the queues'...): the first error of
 * an outage is logged, then at most one line every `intervalMs`, and one line when a connection is
 * ready again. Only the error's code (or class name) is written: messages may carry the host, and
 * a URL may carry a password.
 */
export class RedisErrorLog {
  private failing = false;
  private lastLoggedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly name: string,
    private readonly logger: Pick<LoggerService, 'log' | 'warn'>,
    private readonly intervalMs = REDIS_ERROR_LOG_INTERVAL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Listens to a connection's `error` and `ready` events (an `error` listener also keeps it from throwing). */
  attach<Source extends RedisEventSource>(source: Source): Source {
    source.on('error', (error) => this.error(error));
    source.on('ready', () => this.ready());
    return source;
  }

  /** Records an error; logs it unless one was logged less than the interval ago. */
  error(error: Error & { code?: string }): void {
    const now = this.now();
    if (!this.failing || now - this.lastLoggedAt >= this.intervalMs) {
      this.lastLoggedAt = now;
      this.logger.warn(
        `${this.name} Redis unavailable (${codeOf(error)}); reconnecting in the background`,
      );
    }
    this.failing = true;
  }

  /** Records a connection that is ready; logs the recovery once after an outage. */
  ready(): void {
    if (this.failing) {
      this.logger.log(`${this.name} Redis connection restored`);
    }
    this.failing = false;
  }
}

/** A short, secret-free name for an error: its code when it has a plain one, else its class. */
function codeOf(error: Error & { code?: unknown }): string {
  const code = error.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) {
    return code;
  }
  return /^[A-Za-z]{1,40}$/.test(error.name) ? error.name : 'Error';
}
