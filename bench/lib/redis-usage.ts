import type Redis from 'ioredis';

/** How much of Redis a key prefix takes. */
export interface RedisUsage {
  keys: number;
  /** Sum of `MEMORY USAGE` over the keys (bytes, Redis's own estimate incl. overhead). */
  bytes: number;
}

/** Counts the keys starting with `prefix` and sums their `MEMORY USAGE` (SCAN, never KEYS). */
export async function redisUsage(redis: Redis, prefix: string): Promise<RedisUsage> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (batch.length > 0) {
      const pipeline = redis.pipeline();
      batch.forEach((key) => pipeline.memory('USAGE', key));
      const replies = (await pipeline.exec()) ?? [];
      keys += batch.length;
      bytes += replies.reduce((sum, [, size]) => sum + (Number(size) || 0), 0);
    }
  } while (cursor !== '0');
  return { keys, bytes };
}
