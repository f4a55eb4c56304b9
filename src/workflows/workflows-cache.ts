import { ResponseCacheService } from '../caching';

/**
 * Drops a workflow's cached responses (tag `workflow:{id}`) and the cached workflow lists (tag
 * `workflows`): the guide's `invalidate_workflow_cache`.
 */
export function invalidateWorkflowCache(
  cache: ResponseCacheService,
  workflowId: string,
): Promise<void> {
  return cache.invalidateTags([`workflow:${workflowId}`, 'workflows']);
}
