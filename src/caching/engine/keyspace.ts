/** Names of the Redis keys of the cache. */
export interface CacheKeyspace {
  /** `<REDIS__KEY_PREFIX>:cache` */
  root: string;
  tagKey(tag: string): string;
  lockKey(key: string): string;
  channel: string;
}

/** `<REDIS__KEY_PREFIX>:cache`: every key of the response cache lives below it. */
export function cacheKeyRoot(redisKeyPrefix: string): string {
  return `${redisKeyPrefix}:cache`;
}

/** Key names of entries' tags, locks and the invalidation channel under the cache root. */
export function cacheKeyspace(redisKeyPrefix: string): CacheKeyspace {
  const root = cacheKeyRoot(redisKeyPrefix);
  return {
    root,
    // Tag versions and locks live beside entries, under their own sub-prefixes, so a pattern
    // delete of entries (`agents*`) never touches them.
    tagKey: (tag) => `${root}-meta:tag:${tag}`,
    lockKey: (key) => `${root}-meta:lock:${key.slice(root.length + 1)}`,
    channel: `${root}-meta:bus`,
  };
}
