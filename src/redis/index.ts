export { RedisModule } from './redis.module';
export { InjectRedis } from './redis.decorator';
export { REDIS_CLIENT } from './redis.constants';
export { RedisHealthIndicator } from './redis.health';
