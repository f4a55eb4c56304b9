import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { RedisClient } from './redis-cluster';
import { InjectRedis } from './redis.decorator';

/**
 * Health of the shared Redis client: a PING on the same connection the app uses (not a new
 * one), with the client's connection status. The caller bounds the time (readiness timeout);
 * the client itself fails fast while disconnected because its offline queue is off.
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    @InjectRedis() private readonly redis: RedisClient,
    private readonly health: HealthIndicatorService,
  ) {}

  /** PINGs Redis; `down` carries only the client status, never the error text or address. */
  async isHealthy<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    const indicator = this.health.check(key);
    try {
      const reply = await this.redis.ping();
      return reply === 'PONG'
        ? indicator.up({ client_status: this.redis.status })
        : indicator.down({ client_status: this.redis.status, reason: 'unexpected reply' });
    } catch (_error) {
      return indicator.down({ client_status: this.redis.status, reason: 'ping failed' });
    }
  }
}
