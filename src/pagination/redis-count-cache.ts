import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { redisConfig } from '../config';
import { BackgroundRetry, InjectRedis, RedisOutage, type RedisClient } from '../redis';
import { CountCache } from './count-cache';

/**
 * How long the count cache skips Redis after a failure or a timeout; then a background PING tries
 * it again (a list request never waits on that probe).
 */
export const COUNT_CACHE_RETRY_AFTER_MS = 1000;
/** First retry of a generation bump Redis refused (then doubling, see {@link BackgroundRetry}). */
export const FIRST_BUMP_RETRY_MS = 100;

/** Redis could not serve the count cache (error, timeout, or skipped after a recent failure). */
export class CountCacheUnavailableError extends Error {
  readonly kind = 'count-cache-unavailable' as const;
}

/**
 * Cached counts in Redis. Invalidation is O(1): each resource has a generation counter that is
 * part of every count key; a write bumps it and old keys simply expire.
 *
 * Fails fast: every command is bounded by the shared client's `REDIS__COMMAND_TIMEOUT_MS`, and
 * after a failure Redis is skipped until a PING in the background succeeds (one every
 * {@link COUNT_CACHE_RETRY_AFTER_MS}), so a paused Redis costs one request one timeout, not one
 * timeout a second on the list route (the caller counts without the cache meanwhile).
 */
@Injectable()
export class RedisCountCache implements CountCache {
  private readonly prefix: string;
  /** Whether Redis is skipped, since when, and whether a PING is out to end it. */
  private failing = false;
  private failedAt = 0;
  private probing = false;
  /** Resources whose generation bump Redis refused: retried until it takes them. */
  private readonly pendingBumps = new Set<string>();
  private readonly bumps = new BackgroundRetry(() => this.retryBumps(), FIRST_BUMP_RETRY_MS);

  constructor(
    @InjectRedis() private readonly redis: RedisClient,
    @Inject(redisConfig.KEY) config: ConfigType<typeof redisConfig>,
    // Skips Redis as soon as another user of it (the response cache) saw it fail.
    @Optional() private readonly outage?: RedisOutage,
  ) {
    this.prefix = `${config.keyPrefix}:count`;
  }

  async get(key: string): Promise<number | undefined> {
    const value = await this.call((redis) => redis.get(`${this.prefix}:${key}`));
    return value === null ? undefined : Number(value);
  }

  async set(key: string, value: number, ttlSeconds: number): Promise<void> {
    await this.call((redis) => redis.set(`${this.prefix}:${key}`, String(value), 'EX', ttlSeconds));
  }

  async generation(resource: string): Promise<string> {
    if (this.pendingBumps.has(resource)) {
      // Its counts in Redis predate a write: this instance counts without them until the bump lands.
      throw new CountCacheUnavailableError(`count cache generation of ${resource} is being bumped`);
    }
    return (await this.call((redis) => redis.get(`${this.prefix}:gen:${resource}`))) ?? '0';
  }

  /**
   * Bumps the resource's generation. Never skipped: a write must bump it whenever Redis can take
   * it; when Redis refuses, the bump is retried in the background (100 ms doubling to 5 s) until
   * it lands, and the error is still thrown for the caller to log.
   */
  async invalidate(resource: string): Promise<void> {
    try {
      await this.redis.incr(`${this.prefix}:gen:${resource}`);
    } catch (error) {
      this.pendingBumps.add(resource);
      this.bumps.schedule();
      throw error;
    }
  }

  /** Resources whose generation bump waits for Redis. */
  get pendingInvalidations(): number {
    return this.pendingBumps.size;
  }

  /** Sends the pending bumps in order until Redis refuses one; whether none is left. */
  private async retryBumps(): Promise<boolean> {
    for (const resource of [...this.pendingBumps]) {
      try {
        await this.redis.incr(`${this.prefix}:gen:${resource}`);
        this.pendingBumps.delete(resource);
      } catch {
        break; // still refused: the rest waits for the next try
      }
    }
    return this.pendingBumps.size === 0;
  }

  private async call<T>(command: (redis: RedisClient) => Promise<T>): Promise<T> {
    if (!this.failing && this.outage?.suspected) {
      this.failing = true;
      this.failedAt = Date.now();
    }
    if (this.failing) {
      this.probeWhenDue();
      throw new CountCacheUnavailableError('count cache skipped after a recent Redis failure');
    }
    try {
      return await command(this.redis);
    } catch (error) {
      this.failing = true;
      this.failedAt = Date.now();
      this.outage?.report();
      throw new CountCacheUnavailableError(`count cache Redis failed: ${(error as Error).message}`);
    }
  }

  /** One background PING at a time, once the skip period is over; success ends the skipping. */
  private probeWhenDue(): void {
    if (this.probing || Date.now() - this.failedAt < COUNT_CACHE_RETRY_AFTER_MS) {
      return;
    }
    this.probing = true;
    this.redis.ping().then(
      () => {
        this.failing = false;
        this.probing = false;
        this.outage?.recovered();
      },
      () => {
        this.failedAt = Date.now();
        this.probing = false;
      },
    );
  }
}
