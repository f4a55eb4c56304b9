import { Inject } from '@nestjs/common';
import { REDIS_CLIENT } from './redis.constants';

/**
 * Injects the shared ioredis client of {@link RedisModule}.
 *
 * @example
 * ```ts
 * constructor(@InjectRedis() private readonly redis: Redis) {}
 * ```
 * @publicApi
 */
export const InjectRedis = (): ParameterDecorator & PropertyDecorator => Inject(REDIS_CLIENT);
