import { ResponseCacheService } from '../caching';

/**
 * Drops every user-scoped cached response of a user (tag `user:{id}`, which the cache adds to
 * each entry of a `scope: 'user'` route): the guide's `invalidate_user_cache`.
 */
export function invalidateUserCache(cache: ResponseCacheService, userId: string): Promise<void> {
  return cache.invalidateTags([`user:${userId}`]);
}
