import { Global, Injectable, Module } from '@nestjs/common';

/**
 * The app's shared hint that Redis is failing: the first user that sees a timeout or an error
 * reports it, and the others skip Redis at once instead of paying their own timeout (during a
 * Redis pause, a cold list page paid the cache's 50 ms and then the count cache's 100 ms). A
 * user that reaches Redis again clears it. Each user keeps its own retry (breaker, background
 * PING); this only starts it earlier.
 */
@Injectable()
export class RedisOutage {
  private down = false;

  /** A call timed out or failed. */
  report(): void {
    this.down = true;
  }

  /** A call succeeded. */
  recovered(): void {
    this.down = false;
  }

  /** Whether a failure was reported and no success since. */
  get suspected(): boolean {
    return this.down;
  }
}

/** Global, so every module that uses Redis (caching, pagination) shares the app's one instance. */
@Global()
@Module({ providers: [RedisOutage], exports: [RedisOutage] })
export class RedisOutageModule {}
