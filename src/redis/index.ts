export { RedisModule } from './redis.module';
export { InjectRedis } from './redis.decorator';
export { REDIS_CLIENT } from './redis.constants';
export { RedisHealthIndicator } from './redis.health';
export { RedisOutage, RedisOutageModule } from './redis-outage';
export {
  closeRedisClients,
  createRedisClient,
  reconnectDelay,
  redisClientOptions,
  type RedisClientExtras,
  type RedisConnectionSettings,
  type RedisRole,
} from './redis-client.factory';
export { BackgroundRetry } from './background-retry';
export { RedisErrorLog } from './redis-error-log';
export { createRedisLookupReader, type RedisLookupReader } from './redis-lookup-reader';
export {
  clusterCredentials,
  primaries,
  type RedisClient,
  type RedisClusterSettings,
} from './redis-cluster';
export { countBySlot, groupBySlot, hashTag, keySlot, readBySlot } from './redis-slots';
