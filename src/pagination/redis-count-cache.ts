import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type Redis from 'ioredis';
import { redisConfig } from '../config';
import { InjectRedis } from '../redis';
import { CountCache } from './count-cache';

/**
 * Cached counts in Redis. Invalidation is O(1): each resource has a generation counter that is
 * part of every count key; a write bumps it and old keys simply expire.
 */
@Injectable()
export class RedisCountCache implements CountCache {
  private readonly prefix: string;

  constructor(
    @InjectRedis() private readonly redis: Redis,
    @Inject(redisConfig.KEY) config: ConfigType<typeof redisConfig>,
  ) {
    this.prefix = `${config.keyPrefix}:count`;
  }

  async get(key: string): Promise<number | undefined> {
    const value = await this.redis.get(`${this.prefix}:${key}`);
    return value === null ? undefined : Number(value);
  }

  async set(key: string, value: number, ttlSeconds: number): Promise<void> {
    await this.redis.set(`${this.prefix}:${key}`, String(value), 'EX', ttlSeconds);
  }

  async generation(resource: string): Promise<string> {
    return (await this.redis.get(`${this.prefix}:gen:${resource}`)) ?? '0';
  }

  async invalidate(resource: string): Promise<void> {
    await this.redis.incr(`${this.prefix}:gen:${resource}`);
  }
}
