import { ResponseCacheService } from '../caching';

/**
 * Drops an agent's cached responses (routes tagged `agent:{id}`) and the cached agent lists
 * (tag `agents`): the guide's `invalidate_agent_cache`, for writes that bypass the controller's
 * `@InvalidateCache`.
 */
export function invalidateAgentCache(cache: ResponseCacheService, agentId: string): Promise<void> {
  return cache.invalidateTags([`agent:${agentId}`, 'agents']);
}
