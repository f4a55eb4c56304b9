import { hashTag } from '../../redis';

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

/**
 * Key names of entries' tags, locks and the invalidation channel under the cache root.
 *
 * On a cluster (`cluster: true`) every tag version carries one hash tag, `{<prefix>:tags}`, so the
 * tag versions a lookup reads together are one MGET on one slot, and a multi-tag invalidation is
 * one pipeline; the entry itself lives on its own key's slot. Entries, locks and the channel keep
 * their names (each is used alone). Standalone and sentinel names are unchanged.
 */
export function cacheKeyspace(redisKeyPrefix: string, cluster = false): CacheKeyspace {
  const root = cacheKeyRoot(redisKeyPrefix);
  const tagRoot = cluster
    ? `${root}-meta:tag:${hashTag(redisKeyPrefix, 'tags')}:`
    : `${root}-meta:tag:`;
  return {
    root,
    // Tag versions and locks live beside entries, under their own sub-prefixes, so a pattern
    // delete of entries (`agents*`) never touches them.
    tagKey: (tag) => `${tagRoot}${tag}`,
    lockKey: (key) => `${root}-meta:lock:${key.slice(root.length + 1)}`,
    channel: `${root}-meta:bus`,
  };
}
