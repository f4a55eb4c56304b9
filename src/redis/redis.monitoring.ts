import { Injectable } from '@nestjs/common';
import { HealthIndicatorRegistry } from '../monitoring';
import { RedisHealthIndicator } from './redis.health';

/** What redis contributes to monitoring: the `redis` readiness check (a PING on the shared client). */
@Injectable()
export class RedisMonitoring {
  constructor(indicators: HealthIndicatorRegistry, redis: RedisHealthIndicator) {
    indicators.register({ name: 'redis', indicator: redis });
  }
}
